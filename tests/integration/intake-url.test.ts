import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isIdolensError } from '../../core/errors.ts';
import type { ErrorCode } from '../../core/errors.ts';
import { downloadImage, expandInputs, isInputError } from '../../core/intake/index.ts';
import type { DownloadOptions } from '../../core/intake/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const facesRoot = path.resolve(repoRoot, '..', 'shared', 'faces');
if (!existsSync(facesRoot)) throw new Error(`Real face photos are missing: expected them in ${facesRoot}`);
const photoFolder = path.join(facesRoot, 'blackpink_celebfr', 'jennie');
const photoName = readdirSync(photoFolder).filter((file) => file.endsWith('.jpg')).sort()[0];
if (photoName === undefined) throw new Error(`No photo in ${photoFolder}`);
const photo = readFileSync(path.join(photoFolder, photoName));

const CHUNK = Buffer.alloc(64 * 1024, 0xab);
const seenUserAgents: string[] = [];

function route(request: http.IncomingMessage, response: http.ServerResponse): void {
  seenUserAgents.push(request.headers['user-agent'] ?? '');
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (chain !== null) return redirectChain(Number(chain[1]), url.searchParams.get('to') ?? '/photo.jpg', response);
  switch (url.pathname) {
    case '/photo.jpg':
      response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length }).end(photo);
      return;
    case '/loop':
      response.writeHead(302, { location: '/loop' }).end();
      return;
    case '/endless':
      return streamForever(response);
    case '/declares-huge':
      response.writeHead(200, { 'content-length': 10 * 1024 * 1024 * 1024 });
      response.write(CHUNK);
      return;
    case '/cut-short':
      response.writeHead(200, { 'content-length': 1000 });
      response.write(CHUNK.subarray(0, 10), () => response.destroy());
      return;
    case '/slow':
      return dripSlowly(response);
    default:
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  }
}

/** `/chain/3` → `/chain/2` → … → `/chain/0` → `to`, with relative and absolute locations mixed. */
function redirectChain(remaining: number, to: string, response: http.ServerResponse): void {
  const location = remaining === 0 ? to : `/chain/${remaining - 1}?to=${encodeURIComponent(to)}`;
  response.writeHead(remaining % 2 === 0 ? 302 : 307, { location }).end();
}

function streamForever(response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'image/jpeg' });
  const pump = (): void => {
    while (!response.destroyed && response.write(CHUNK));
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

function dripSlowly(response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'image/jpeg' });
  const timer = setInterval(() => response.write(Buffer.from([0xff])), 50);
  response.on('close', () => clearInterval(timer));
}

const server = http.createServer(route);
let base = '';

before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const local: DownloadOptions = { maxBytes: 5 * 1024 * 1024, timeoutMs: 5000, allowPrivateNetwork: true };

async function refusal(work: Promise<unknown>): Promise<{ code: ErrorCode; details: Readonly<Record<string, string | number>> }> {
  try {
    await work;
  } catch (error) {
    if (isIdolensError(error)) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the download to be refused');
}

test('a photo on a local server downloads byte for byte when private addresses are allowed', async () => {
  seenUserAgents.length = 0;
  const bytes = await downloadImage(`${base}/photo.jpg?token=abc`, local);
  assert.deepEqual(Buffer.from(bytes), photo);
  assert.deepEqual(seenUserAgents, ['idolens/0.1']);
});

test('a host name is resolved once and the checked address is used for the connection', async () => {
  const port = new URL(base).port;
  const bytes = await downloadImage(`http://localhost:${port}/photo.jpg`, local);
  assert.equal(bytes.length, photo.length);
});

test('without allowPrivateNetwork, loopback addresses and names that resolve to them are refused', async () => {
  const port = new URL(base).port;
  const options = { ...local, allowPrivateNetwork: false };
  assert.equal((await refusal(downloadImage(`${base}/photo.jpg`, options))).code, 'url_not_allowed');
  assert.equal((await refusal(downloadImage(`http://localhost:${port}/photo.jpg`, options))).code, 'url_not_allowed');
  assert.equal((await refusal(downloadImage(`http://[::1]:${port}/photo.jpg`, options))).code, 'url_not_allowed');
});

test('a redirect chain is followed, and one that ends at the cloud metadata address is refused', async () => {
  const followed = await downloadImage(`${base}/chain/3`, local);
  assert.equal(followed.length, photo.length);
  const toMetadata = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
  const refused = await refusal(downloadImage(`${base}/chain/2?to=${toMetadata}`, local));
  assert.equal(refused.code, 'url_not_allowed');
  const mapped = encodeURIComponent('http://[::ffff:169.254.169.254]/latest/meta-data/');
  assert.equal((await refusal(downloadImage(`${base}/chain/0?to=${mapped}`, local))).code, 'url_not_allowed');
});

test('more than five redirects, or a redirect to another scheme, stop the download', async () => {
  assert.equal((await refusal(downloadImage(`${base}/loop`, local))).details.maxRedirects, 5);
  assert.equal((await downloadImage(`${base}/chain/4`, local)).length, photo.length, 'five redirects are fine');
  assert.equal((await refusal(downloadImage(`${base}/chain/5`, local))).code, 'download_failed');
  const toFtp = encodeURIComponent('ftp://127.0.0.1/photo.jpg');
  assert.equal((await refusal(downloadImage(`${base}/chain/0?to=${toFtp}`, local))).code, 'url_not_allowed');
});

test('an endless chunked body is cut at the byte cap', async () => {
  const refused = await refusal(downloadImage(`${base}/endless`, { ...local, maxBytes: 256 * 1024 }));
  assert.equal(refused.code, 'too_large');
});

test('a Content-Length over the cap is refused before the body is read', async () => {
  const refused = await refusal(downloadImage(`${base}/declares-huge`, local));
  assert.equal(refused.code, 'too_large');
  assert.equal(refused.details.bytes, 10 * 1024 * 1024 * 1024);
});

test('a server that drips bytes slowly hits the wall-clock timeout', async () => {
  const started = Date.now();
  const refused = await refusal(downloadImage(`${base}/slow`, { ...local, timeoutMs: 300 }));
  assert.equal(refused.code, 'download_failed');
  assert.equal(refused.details.reason, 'timeout');
  assert.ok(Date.now() - started < 3000);
});

test('a body cut off before its Content-Length fails instead of returning half a photo', async () => {
  assert.equal((await refusal(downloadImage(`${base}/cut-short`, local))).code, 'download_failed');
});

test('a 404 fails with the status in the details and the query string kept out', async () => {
  const refused = await refusal(downloadImage(`${base}/missing.jpg?sig=secret`, local));
  assert.equal(refused.code, 'download_failed');
  assert.equal(refused.details.status, 404);
  assert.equal(refused.details.url, `${base}/missing.jpg`);
});

test('only http and https are downloaded', async () => {
  for (const url of ['ftp://127.0.0.1/photo.jpg', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
    assert.equal((await refusal(downloadImage(url, local))).code, 'url_not_allowed', url);
  }
});

test('a URL given to expandInputs downloads when read and honours allowPrivateNetwork', async () => {
  const url = `${base}/photo.jpg?token=abc`;
  const allowedEntries = [];
  for await (const entry of expandInputs([url], { layout: 'flat', allowPrivateNetwork: true })) allowedEntries.push(entry);
  const [item] = allowedEntries;
  assert.ok(item !== undefined && !isInputError(item));
  assert.equal(item.source, `${base}/photo.jpg`);
  assert.equal((await item.read()).length, photo.length);

  for await (const entry of expandInputs([url], { layout: 'flat' })) {
    assert.ok(!isInputError(entry));
    assert.equal((await refusal(entry.read())).code, 'url_not_allowed');
  }
});
