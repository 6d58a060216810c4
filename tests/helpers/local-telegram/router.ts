/**
 * The HTTP side of the Bot API: `/bot<token>/<method>` (GET or POST, method names in any case) answering
 * `{ ok, result }` or `{ ok: false, error_code, description }` with that status, and `/file/bot<token>/<path>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BotApiError, tooManyRequests } from './api-error.ts';
import { BOT_METHODS } from './methods-bot.ts';
import { CHAT_METHODS } from './methods-chats.ts';
import { MEDIA_METHODS } from './methods-media.ts';
import { MESSAGE_METHODS } from './methods-messages.ts';
import { parseParams, readBody, type Params } from './params.ts';
import type { LocalTelegramState, MethodHandler } from './state.ts';
import type { RequestRecord } from './types.ts';

const METHODS = new Map<string, { name: string; handler: MethodHandler }>(
  Object.entries({ ...BOT_METHODS, ...MESSAGE_METHODS, ...MEDIA_METHODS, ...CHAT_METHODS }).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
);

export const knownMethod = (name: string): string | undefined => METHODS.get(name.toLowerCase())?.name;

/** Runs a method a webhook receiver answered with (logged with `viaWebhookReply`); unknown methods are ignored. */
export async function runMethod(state: LocalTelegramState, name: string, params: Params): Promise<void> {
  const method = METHODS.get(name.toLowerCase());
  if (method === undefined) return;
  const record: RequestRecord = { method: method.name, params: params.loggable(), time: Date.now(), status: 0, viaWebhookReply: true };
  state.requests.push(record);
  try {
    await method.handler(state, { method: method.name, params, signal: new AbortController().signal });
    record.status = 200;
  } catch (error) {
    record.status = error instanceof BotApiError ? error.code : 500;
    record.description = error instanceof Error ? error.message : String(error);
  }
}

function send(response: ServerResponse, status: number, body: unknown, closed: AbortSignal): Promise<void> {
  if (closed.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body), () => resolve());
  });
}

function checkUploads(state: LocalTelegramState, params: Params): void {
  if ([...params.files.values()].some((file) => file.bytes.length > state.uploadLimitBytes)) throw new BotApiError(413, 'Request Entity Too Large');
}

/** Answers 429 while a test's failNext for this method lasts. */
function plannedFailure(state: LocalTelegramState, method: string): void {
  const planned = state.failures.get(method.toLowerCase());
  if (planned === undefined) return;
  planned.times -= 1;
  if (planned.times <= 0) state.failures.delete(method.toLowerCase());
  throw tooManyRequests(planned.retryAfter);
}

export async function serveRequest(state: LocalTelegramState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const closed = new AbortController();
  response.on('close', () => closed.abort());
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname.startsWith('/file/')) return serveFile(state, url.pathname, response, closed.signal);
  const route = /^\/bot([^/]*)\/([^/]*)\/?$/.exec(url.pathname);
  const [, token = '', name = ''] = route ?? [];
  const record: RequestRecord = { method: knownMethod(name) ?? name, params: {}, time: Date.now(), status: 0 };
  state.requests.push(record);
  try {
    if (route === null) throw new BotApiError(404, 'Not Found');
    if (decodeURIComponent(token) !== state.token) throw new BotApiError(401, 'Unauthorized');
    const params = await parseParams(request.headers['content-type'] ?? '', await readBody(request), url.searchParams);
    record.params = params.loggable();
    const method = METHODS.get(name.toLowerCase());
    if (method === undefined) throw new BotApiError(404, 'Not Found: method not found');
    checkUploads(state, params);
    plannedFailure(state, method.name);
    const result: unknown = await method.handler(state, { method: method.name, params, signal: closed.signal });
    record.status = 200;
    await send(response, 200, { ok: true, result }, closed.signal);
  } catch (error) {
    const failure = error instanceof BotApiError ? error : new BotApiError(500, `Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
    record.status = failure.code;
    record.description = failure.description;
    await send(response, failure.code, failure.body, closed.signal);
  }
}

async function serveFile(state: LocalTelegramState, pathname: string, response: ServerResponse, closed: AbortSignal): Promise<void> {
  const [, token = '', filePath = ''] = /^\/file\/bot([^/]*)\/(.+)$/.exec(pathname) ?? [];
  if (decodeURIComponent(token) !== state.token) return send(response, 401, new BotApiError(401, 'Unauthorized').body, closed);
  const file = state.files.atPath(decodeURIComponent(filePath));
  if (file === undefined || file.size > state.downloadLimitBytes) return send(response, 404, new BotApiError(404, 'Not Found').body, closed);
  const bytes = state.files.bytesOf(file);
  await new Promise<void>((resolve) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length }).end(bytes, () => resolve());
  });
}
