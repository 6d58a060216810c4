import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { IdolensError } from '../../core/errors.ts';
import { isAllowedHost } from '../../core/intake/index.ts';
import { fetchMedia, fetchMediaToFile, FileBlobStore } from '../../core/media-ref/index.ts';
import type { FetchRules, MediaRef } from '../../core/media-ref/index.ts';
import { facePhoto } from '../helpers/faces-dir.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { refusal } from '../helpers/refusal.ts';

const photo = readFileSync(facePhoto('blackpink_celebfr', 'jennie', '1772892_NNML.jpg'));
const clip = readFileSync(facePhoto('videos', 'liveportrait', 'driving_d18.mp4'));
const archive = buildZip([{ name: 'jennie/1.jpg', data: photo }]);
const page = Buffer.from('<!DOCTYPE html>\n<html><head><title>Jennie</title></head><body><img src="/photo.jpg"></body></html>\n');

const CHUNK = Buffer.alloc(64 * 1024, 0x00);
const HUGE_BYTES = 256 * 1024 * 1024;
/** Emits 'closed' with { sent, finished } when a /huge response's connection closes. */
const hugeEvents = new EventEmitter();

const mainServer = http.createServer(routeMain);
const otherServer = http.createServer(routeOther);
let mainPort = 0;
let otherPort = 0;
let otherRequests = 0;
let scratch = '';

function routeMain(request: http.IncomingMessage, response: http.ServerResponse): void {
  const files: Record<string, Buffer> = { '/photo.jpg': photo, '/clip.mp4': clip, '/photos.zip': archive, '/page.html': page, '/empty': Buffer.alloc(0) };
  const pathname = new URL(request.url ?? '/', 'http://placeholder').pathname;
  const file = files[pathname];
  if (file !== undefined) return void response.writeHead(200, { 'content-length': file.length }).end(file);
  const redirects: Record<string, string> = {
    '/to-other-host': `http://127.0.0.1:${otherPort}/photo.jpg`,
    '/to-other-port': `http://localhost:${otherPort}/photo.jpg`,
    '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
  };
  const location = redirects[pathname];
  if (location !== undefined) return void response.writeHead(302, { location }).end();
  if (pathname === '/huge') return streamHuge(response);
  if (pathname === '/slow') return dripSlowly(response);
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
}

function routeOther(_request: http.IncomingMessage, response: http.ServerResponse): void {
  otherRequests += 1;
  response.writeHead(200, { 'content-length': photo.length }).end(photo);
}

/** A chunked body far over every cap, written only as fast as the client reads it. */
function streamHuge(response: http.ServerResponse): void {
  const progress = { sent: 0, finished: false };
  response.on('close', () => hugeEvents.emit('closed', progress));
  response.writeHead(200, { 'content-type': 'video/mp4' });
  const pump = (): void => {
    while (progress.sent < HUGE_BYTES && !response.destroyed) {
      progress.sent += CHUNK.length;
      if (!response.write(CHUNK)) return void response.once('drain', pump);
    }
    if (!response.destroyed) {
      progress.finished = true;
      response.end();
    }
  };
  pump();
}

function dripSlowly(response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'image/jpeg' });
  response.write(photo.subarray(0, 100));
  const timer = setInterval(() => response.write(Buffer.from([0xff])), 50);
  response.on('close', () => clearInterval(timer));
}

before(async () => {
  mainServer.listen(0, '127.0.0.1');
  otherServer.listen(0, '127.0.0.1');
  await Promise.all([once(mainServer, 'listening'), once(otherServer, 'listening')]);
  mainPort = (mainServer.address() as AddressInfo).port;
  otherPort = (otherServer.address() as AddressInfo).port;
  scratch = await mkdtemp(path.join(os.tmpdir(), 'idolens-media-ref-'));
});

after(async () => {
  for (const server of [mainServer, otherServer]) {
    server.closeAllConnections();
    server.close();
  }
  await rm(scratch, { recursive: true, force: true });
});

/** Loopback fakes of a platform CDN: `localhost` is the platform's host. */
function rules(overrides: Partial<FetchRules> = {}): FetchRules {
  return {
    kind: 'image',
    maxBytes: 5 * 1024 * 1024,
    timeoutMs: 5000,
    platformHosts: ['localhost'],
    allowPrivateNetwork: true,
    blobs: new FileBlobStore(path.join(scratch, 'blobs')),
    platformFiles: {},
    ...overrides,
  };
}

function platformUrl(url: string): MediaRef {
  return { kind: 'url', url, name: 'photo.jpg', trust: 'platform' };
}

function adminUrl(url: string): MediaRef {
  return { kind: 'url', url, name: 'photo.jpg', trust: 'admin' };
}

test('a platform URL on an allowed host downloads byte for byte', async () => {
  const bytes = await fetchMedia(platformUrl(`http://localhost:${mainPort}/photo.jpg?ex=abc&hm=token`), rules());
  assert.deepEqual(Buffer.from(bytes), photo);
});

test('a platform file is located when fetched, and read only from the host its locator names', async () => {
  const ref: MediaRef = { kind: 'platform-file', platform: 'telegram', fileId: 'AgAD42', name: 'photo.jpg' };
  const located: string[] = [];
  const platformFiles = { telegram: async (fileId: string) => { located.push(fileId); return { url: `http://localhost:${mainPort}/photo.jpg`, host: 'localhost' }; } };
  assert.deepEqual(Buffer.from(await fetchMedia(ref, rules({ platformHosts: [], platformFiles }))), photo);
  assert.deepEqual(located, ['AgAD42']);
  const elsewhere = { telegram: async () => ({ url: `http://127.0.0.1:${otherPort}/photo.jpg`, host: 'localhost' }) };
  assert.equal((await refusal(fetchMedia(ref, rules({ platformFiles: elsewhere })))).code, 'url_not_allowed');
  const localFile = path.join(scratch, 'local-mode.jpg');
  await writeFile(localFile, photo);
  assert.deepEqual(Buffer.from(await fetchMedia(ref, rules({ platformFiles: { telegram: async () => ({ path: localFile }) } }))), photo);
  assert.equal((await refusal(fetchMedia(ref, rules({ maxBytes: 100, platformFiles: { telegram: async () => ({ path: localFile }) } })))).code, 'too_large');
  await assert.rejects(fetchMedia(ref, rules()), (error: unknown) => error instanceof Error && !(error instanceof IdolensError) && /no telegram token/.test(error.message));
});

test('a platform URL on a host outside the platform list is refused before any request', async () => {
  const refused = await refusal(fetchMedia(platformUrl(`http://127.0.0.1:${otherPort}/photo.jpg`), rules()));
  assert.equal(refused.code, 'url_not_allowed');
  assert.equal(refused.details.host, '127.0.0.1');
  assert.equal(otherRequests, 0);
});

test('a platform URL that redirects to another host is refused at the redirect; another port of an allowed host is fine', async () => {
  const refused = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/to-other-host`), rules()));
  assert.equal(refused.code, 'url_not_allowed');
  assert.equal(otherRequests, 0, 'the other host never got the request');
  const followed = await fetchMedia(platformUrl(`http://localhost:${mainPort}/to-other-port`), rules());
  assert.equal(followed.length, photo.length);
  assert.equal(otherRequests, 1);
});

test('the platform host list matches subdomains on a dot boundary only', () => {
  const hosts = ['discordapp.net', '*.discordapp.com', 'api.telegram.org'];
  for (const host of ['media.discordapp.net', 'discordapp.net', 'cdn.discordapp.com', 'MEDIA.DISCORDAPP.NET', 'images-ext-1.discordapp.net.']) {
    assert.ok(isAllowedHost(host, hosts), host);
  }
  for (const host of ['evildiscordapp.net', 'discordapp.net.evil.com', 'telegram.org', 'evil.com', '']) {
    assert.ok(!isAllowedHost(host, hosts), host);
  }
});

test('an admin URL may come from any host, but not from loopback unless private addresses are allowed', async () => {
  const direct = await fetchMedia(adminUrl(`http://127.0.0.1:${mainPort}/photo.jpg`), rules());
  assert.equal(direct.length, photo.length);
  const strict = rules({ allowPrivateNetwork: false });
  for (const url of [`http://127.0.0.1:${mainPort}/photo.jpg`, `http://localhost:${mainPort}/photo.jpg`, `http://[::1]:${mainPort}/photo.jpg`]) {
    assert.equal((await refusal(fetchMedia(adminUrl(url), strict))).code, 'url_not_allowed', url);
  }
  assert.equal((await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/photo.jpg`), strict))).code, 'url_not_allowed');
});

test('a redirect to the cloud metadata address is refused for admin URLs, and for platform URLs even when its host is listed', async () => {
  const admin = await refusal(fetchMedia(adminUrl(`http://127.0.0.1:${mainPort}/to-metadata`), rules()));
  assert.equal(admin.code, 'url_not_allowed');
  const listed = rules({ platformHosts: ['localhost', '169.254.169.254'] });
  assert.equal((await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/to-metadata`), listed))).code, 'url_not_allowed');
});

test('only http and https URLs are fetched', async () => {
  for (const url of ['file:///etc/passwd', 'ftp://localhost/photo.jpg', 'gopher://localhost/']) {
    assert.equal((await refusal(fetchMedia(adminUrl(url), rules()))).code, 'url_not_allowed', url);
  }
});

test('the size cap stops an endless body early and the server sees the connection closed', async () => {
  const closed = once(hugeEvents, 'closed');
  const refused = await refusal(fetchMedia(adminUrl(`http://127.0.0.1:${mainPort}/huge`), rules({ maxBytes: 1024 * 1024 })));
  assert.equal(refused.code, 'too_large');
  const [progress] = (await closed) as [{ sent: number; finished: boolean }];
  assert.equal(progress.finished, false);
  assert.ok(progress.sent < HUGE_BYTES / 4, `the server wrote ${progress.sent} bytes before the client hung up`);
});

test('a clip streamed to disk over the cap is refused as video_too_large and leaves no file behind', async () => {
  const folder = await mkdtemp(path.join(scratch, 'clip-'));
  const closed = once(hugeEvents, 'closed');
  const target = path.join(folder, 'input.mp4');
  const refused = await refusal(fetchMediaToFile(adminUrl(`http://127.0.0.1:${mainPort}/huge`), target, rules({ kind: 'video', maxBytes: 8 * 1024 * 1024 })));
  assert.equal(refused.code, 'video_too_large');
  const [progress] = (await closed) as [{ sent: number; finished: boolean }];
  assert.ok(!progress.finished && progress.sent < HUGE_BYTES / 4, `the server wrote ${progress.sent} bytes`);
  assert.deepEqual(await readdir(folder), []);
});

test('a body that drips too slowly hits the time cap', async () => {
  const started = Date.now();
  const refused = await refusal(fetchMedia(adminUrl(`http://127.0.0.1:${mainPort}/slow`), rules({ timeoutMs: 300 })));
  assert.equal(refused.code, 'download_failed');
  assert.match(refused.message, /took too long/);
  assert.equal(refused.details.reason, 'timeout');
  assert.ok(Date.now() - started < 3000);
  const folder = await mkdtemp(path.join(scratch, 'slow-'));
  const toFile = await refusal(fetchMediaToFile(adminUrl(`http://127.0.0.1:${mainPort}/slow`), path.join(folder, 'photo'), rules({ timeoutMs: 300 })));
  assert.equal(toFile.details.reason, 'timeout');
  assert.deepEqual(await readdir(folder), []);
});

test('an HTTP error fails the download with the status and without the query string', async () => {
  const refused = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/gone.jpg?hm=secret`), rules()));
  assert.equal(refused.code, 'download_failed');
  assert.equal(refused.details.status, 404);
  assert.equal(refused.details.url, `http://localhost:${mainPort}/gone.jpg`);
  const telegram = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/file/bot123456:AAHx-y_z/photos/file_1.jpg`), rules()));
  assert.equal(telegram.details.url, `http://localhost:${mainPort}/file/bot<token>/photos/file_1.jpg`, 'a bot token in the path is kept out too');
});

test('the bytes must be the kind asked for, whatever the URL says', async () => {
  const html = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/page.html`), rules()));
  assert.equal(html.code, 'unsupported_format');
  assert.match(html.message, /web page/);
  const htmlAsVideo = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/page.html`), rules({ kind: 'video' })));
  assert.equal(htmlAsVideo.code, 'unsupported_video');
  const photoAsVideo = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/photo.jpg`), rules({ kind: 'video' })));
  assert.match(photoAsVideo.message, /photo, not a video/);
  const photoAsZip = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/photo.jpg`), rules({ kind: 'archive' })));
  assert.equal(photoAsZip.code, 'invalid_archive');
  const clipAsPhoto = await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/clip.mp4`), rules()));
  assert.equal(clipAsPhoto.code, 'unsupported_format');
  assert.equal((await refusal(fetchMedia(platformUrl(`http://localhost:${mainPort}/empty`), rules()))).code, 'empty_file');
  const zip = await fetchMedia(platformUrl(`http://localhost:${mainPort}/photos.zip`), rules({ kind: 'archive' }));
  assert.deepEqual(Buffer.from(zip), archive);
});

test('a real clip streams to disk byte for byte; a page streamed as a clip is refused and removed', async () => {
  const folder = await mkdtemp(path.join(scratch, 'real-clip-'));
  const target = path.join(folder, 'input.mp4');
  const written = await fetchMediaToFile(platformUrl(`http://localhost:${mainPort}/clip.mp4?ex=1`), target, rules({ kind: 'video' }));
  assert.equal(written, clip.length);
  assert.deepEqual(await readFile(target), clip);
  const pageTarget = path.join(folder, 'page.mp4');
  const refused = await refusal(fetchMediaToFile(platformUrl(`http://localhost:${mainPort}/page.html`), pageTarget, rules({ kind: 'video' })));
  assert.equal(refused.code, 'unsupported_video');
  assert.deepEqual(await readdir(folder), ['input.mp4']);
});
