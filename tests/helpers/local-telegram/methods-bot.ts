/** The bot itself and how it receives updates: getMe, getUpdates long polling, and the webhook methods. */
import { badRequest, BotApiError } from './api-error.ts';
import type { Params } from './params.ts';
import type { MethodHandler } from './state.ts';
import { LONG_POLL_MAX_SECONDS, updateJson } from './updates.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_MAX_CONNECTIONS = 40;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, Math.trunc(value)));

function allowedUpdates(params: Params): string[] | undefined {
  const value = params.json('allowed_updates');
  return Array.isArray(value) ? value.filter((kind): kind is string => typeof kind === 'string') : undefined;
}

const getMe: MethodHandler = (state) => state.bot;

const getUpdates: MethodHandler = async (state, { params, signal }) => {
  if (state.webhook !== undefined) {
    throw new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  }
  state.updates.setAllowed(allowedUpdates(params));
  state.updates.confirm(Math.trunc(params.number('offset') ?? 0));
  const limit = clamp(params.number('limit') ?? 100, 1, 100);
  const timeout = clamp(params.number('timeout') ?? 0, 0, LONG_POLL_MAX_SECONDS);
  const updates = await state.updates.poll(limit, timeout, signal);
  return updates.map(updateJson);
};

/** Telegram wants an HTTPS URL; the fake also takes plain HTTP on loopback so tests can run a receiver. */
function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('invalid webhook URL specified');
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) return;
  throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
}

const setWebhook: MethodHandler = (state, { params }) => {
  const url = params.string('url') ?? '';
  if (params.flag('drop_pending_updates')) state.updates.clear();
  if (url === '') {
    state.webhook = undefined;
    return true;
  }
  checkWebhookUrl(url);
  const secretToken = params.string('secret_token');
  if (secretToken !== undefined && secretToken.length > 256) throw badRequest('secret token is too long');
  if (secretToken !== undefined && !/^[A-Za-z0-9_-]*$/.test(secretToken)) throw badRequest('secret token contains unallowed characters');
  const allowed = allowedUpdates(params);
  state.updates.setAllowed(allowed);
  state.updates.endLongPoll(new BotApiError(409, 'Conflict: terminated by setWebhook request'));
  state.webhook = {
    url, secretToken: secretToken === '' ? undefined : secretToken,
    maxConnections: clamp(params.number('max_connections') ?? DEFAULT_MAX_CONNECTIONS, 1, 100), allowedUpdates: allowed,
  };
  return true;
};

const deleteWebhook: MethodHandler = (state, { params }) => {
  if (params.flag('drop_pending_updates')) state.updates.clear();
  state.webhook = undefined;
  return true;
};

const getWebhookInfo: MethodHandler = (state) => {
  const { webhook } = state;
  const allowed = state.updates.allowedUpdates;
  return {
    url: webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.updates.pendingCount,
    ...(webhook === undefined ? {} : { max_connections: webhook.maxConnections }),
    ...(allowed === undefined ? {} : { allowed_updates: allowed }),
  };
};

export const BOT_METHODS: Readonly<Record<string, MethodHandler>> = { getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo };
