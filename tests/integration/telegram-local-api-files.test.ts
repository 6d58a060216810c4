/**
 * A self-hosted Telegram Bot API server (TELEGRAM_API_ROOT) on a loopback address: its files download without the
 * test-only IDOLENS_ALLOW_PRIVATE_URLS, through the real telegraf client and locator, while every other private
 * address stays refused, redirects off that exact origin included.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Telegram } from 'telegraf';
import { telegramFileLocator } from '../../bot/telegram/files.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import { fetchMedia, fetchMediaToFile, FileBlobStore, type FetchRules, type MediaRef } from '../../core/media-ref/index.ts';
import { facePhoto } from '../helpers/faces-dir.ts';
import { LocalTelegram } from '../helpers/local-telegram/local-telegram.ts';
import { refusal } from '../helpers/refusal.ts';

const TOKEN = '7000000001:local-bot-api-secret';
const photo = readFileSync(facePhoto('blackpink_celebfr', 'jennie', '1772892_NNML.jpg'));

let botApi: LocalTelegram;
let elsewhere: http.Server;
let redirectingBotApi: http.Server;
let scratch = '';

/** Another loopback server, not the Bot API: serves the photo to anyone who reaches it. */
function servePhoto(_request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': photo.length }).end(photo);
}

/** A Bot API whose file endpoint redirects: `elsewhere` to another loopback port, `same-origin` to itself. */
function redirectingFiles(request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  if (url.pathname === `/bot${TOKEN}/getFile`) {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    request.on('end', () => {
      const fileId = String((JSON.parse(body === '' ? '{}' : body) as { file_id?: unknown }).file_id);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: true, result: { file_id: fileId, file_unique_id: fileId, file_size: photo.length, file_path: `photos/${fileId}.jpg` } }));
    });
    return;
  }
  const targets: Record<string, string> = {
    [`/file/bot${TOKEN}/photos/elsewhere.jpg`]: `http://127.0.0.1:${port(elsewhere)}/photo.jpg`,
    [`/file/bot${TOKEN}/photos/same-origin.jpg`]: `/file/bot${TOKEN}/photos/stored.jpg`,
  };
  const target = targets[url.pathname];
  if (target !== undefined) return void response.writeHead(302, { location: target }).end();
  if (url.pathname === `/file/bot${TOKEN}/photos/stored.jpg`) return servePhoto(request, response);
  response.writeHead(404).end();
}

function port(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}

/** The configuration a deployment with a self-hosted Bot API has; IDOLENS_ALLOW_PRIVATE_URLS is not set. */
function configWith(apiRoot: string): Config {
  return loadConfig({ TELEGRAM_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot });
}

/** The rules a worker fetches with, and the Telegram locator it is given (as cli/service.ts builds them). */
function workerRules(config: Config): FetchRules {
  const telegram = config.telegram;
  assert.ok(telegram !== undefined);
  return {
    kind: 'image',
    maxBytes: config.intakeLimits.maxBytesPerFile,
    timeoutMs: config.intakeLimits.downloadTimeoutMs,
    platformHosts: config.mediaHosts,
    allowPrivateNetwork: config.allowPrivateNetwork,
    blobs: new FileBlobStore(path.join(scratch, 'blobs')),
    platformFiles: { telegram: telegramFileLocator(new Telegram(telegram.token, { apiRoot: telegram.apiRoot, webhookReply: false }), telegram.apiRoot, telegram.token) },
  };
}

function telegramFile(fileId: string): MediaRef {
  return { kind: 'platform-file', platform: 'telegram', fileId, name: 'photo.jpg' };
}

function adminUrl(url: string): MediaRef {
  return { kind: 'url', url, name: 'photo.jpg', trust: 'admin' };
}

before(async () => {
  botApi = await LocalTelegram.start({ token: TOKEN });
  elsewhere = http.createServer(servePhoto).listen(0, '127.0.0.1');
  redirectingBotApi = http.createServer(redirectingFiles).listen(0, '127.0.0.1');
  await Promise.all([once(elsewhere, 'listening'), once(redirectingBotApi, 'listening')]);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'idolens-telegram-files-'));
});

after(async () => {
  await botApi.close();
  for (const server of [elsewhere, redirectingBotApi]) {
    server.closeAllConnections();
    server.close();
  }
  await rm(scratch, { recursive: true, force: true });
});

describe('files from a self-hosted Bot API on a private address', () => {
  test('a file from TELEGRAM_API_ROOT on loopback downloads, to memory and to disk, without allowing private addresses', async () => {
    const config = configWith(botApi.apiRoot);
    assert.equal(config.allowPrivateNetwork, false);
    const stored = botApi.state.files.add(photo, { name: 'jennie.jpg' }, 'photos');
    assert.deepEqual(Buffer.from(await fetchMedia(telegramFile(stored.fileId), workerRules(config))), photo);
    const target = path.join(scratch, 'jennie.jpg');
    await fetchMediaToFile(telegramFile(stored.fileId), target, workerRules(config));
    assert.deepEqual(await readFile(target), photo);
    assert.ok(botApi.requests.some((request) => request.method === 'getFile'));
  });

  test('another loopback port and a LAN address stay refused as url_not_allowed', async () => {
    const rules = workerRules(configWith(botApi.apiRoot));
    assert.equal((await refusal(fetchMedia(adminUrl(`http://127.0.0.1:${port(elsewhere)}/photo.jpg`), rules))).code, 'url_not_allowed');
    assert.equal((await refusal(fetchMedia(adminUrl('http://10.1.2.3/photo.jpg'), rules))).code, 'url_not_allowed');
    const botApiOrigin = new URL(botApi.apiRoot);
    assert.equal((await refusal(fetchMedia(adminUrl(`${botApiOrigin.origin}/file/bot${TOKEN}/photos/file_1.jpg`), rules))).code, 'url_not_allowed', 'only the locator\'s downloads are trusted, not any link to that server');
  });

  test('the Bot API may redirect within its own origin, but not to another private address', async () => {
    const rules = workerRules(configWith(`http://127.0.0.1:${port(redirectingBotApi)}`));
    assert.deepEqual(Buffer.from(await fetchMedia(telegramFile('same-origin'), rules)), photo);
    assert.equal((await refusal(fetchMedia(telegramFile('elsewhere'), rules))).code, 'url_not_allowed');
  });
});
