/**
 * Posting updates to the webhook a bot set, as Telegram does (JSON body, X-Telegram-Bot-Api-Secret-Token header);
 * a method call the receiver answers with (telegraf's webhookReply) is run like any other call, its result unseen
 * by the bot.
 */
import { request, type IncomingMessage } from 'node:http';
import { parseParams, readBody } from './params.ts';
import { runMethod } from './router.ts';
import type { LocalTelegramState } from './state.ts';
import { updateJson } from './updates.ts';

/** POSTs `update` to the webhook URL; answers the receiver's HTTP status. Plain-HTTP receivers only. */
export async function postUpdate(state: LocalTelegramState, update: object, secretToken?: string): Promise<number> {
  const webhook = state.webhook;
  if (webhook === undefined) throw new Error('no webhook is set');
  if (!webhook.url.startsWith('http://')) throw new Error(`the local Telegram posts only to http:// receivers, not ${webhook.url}`);
  const token = secretToken ?? webhook.secretToken;
  const body = JSON.stringify(update);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token === undefined ? {} : { 'x-telegram-bot-api-secret-token': token }) };
    request(webhook.url, { method: 'POST', agent: false, headers }, resolve).on('error', reject).end(body);
  });
  await runReplyMethod(state, response);
  return response.statusCode ?? 0;
}

async function runReplyMethod(state: LocalTelegramState, response: IncomingMessage): Promise<void> {
  const raw = await readBody(response);
  const contentType = response.headers['content-type'] ?? '';
  if (raw.length === 0 || (response.statusCode ?? 0) >= 300) return;
  const params = await parseParams(contentType, raw, new URLSearchParams()).catch(() => undefined);
  const method = params?.string('method');
  if (params === undefined || method === undefined) return;
  await runMethod(state, method, params);
}

/** Delivers queued updates in order; each 2xx answer confirms its update, the first other answer stops. */
export async function deliverQueued(state: LocalTelegramState): Promise<number[]> {
  const statuses: number[] = [];
  for (;;) {
    const [next] = state.updates.peek(1);
    if (next === undefined) return statuses;
    const status = await postUpdate(state, updateJson(next));
    statuses.push(status);
    if (status < 200 || status >= 300) return statuses;
    state.updates.confirm(next.updateId + 1);
  }
}
