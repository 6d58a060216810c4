import { lookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { IdolensError } from '../errors.ts';
import { formatWholeSeconds } from '../format.ts';
import { classifyAddress } from './address.ts';
import { isAllowedHost } from './allowed-hosts.ts';
import { collectBody, transferFailed, writeBodyToFile } from './download-body.ts';
import { redactUrl } from './redact-url.ts';
import { tooLarge } from './refusals.ts';

export { redactUrl };

export interface DownloadOptions {
  maxBytes: number;
  /** Wall-clock limit for the whole download, redirects included. */
  timeoutMs: number;
  /** Allow loopback and private LAN addresses (tests, trusted local setups); link-local metadata addresses stay refused. */
  allowPrivateNetwork?: boolean;
  /** When set, every hop's host (redirects included) must be one of these or a subdomain of one; see isAllowedHost. */
  allowedHosts?: readonly string[];
  /**
   * Origins (scheme, host and port) the operator configured, such as a self-hosted Telegram Bot API server: a hop to
   * exactly one of these may reach a private or loopback address. Other hops, redirects included, are checked as usual.
   */
  trustedOrigins?: readonly string[];
}

export const USER_AGENT = 'idolens/0.1';
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Reads the body of the final (2xx) response; `maxBytes` must be enforced while reading. */
type BodySink<T> = (response: IncomingMessage, url: URL, maxBytes: number) => Promise<T>;

type HopOutcome<T> = { kind: 'redirect'; location: string } | { kind: 'body'; result: T };

/**
 * Downloads one file over http(s) from a public address only: every hop's host is resolved once,
 * checked, and connected to at exactly that address, so DNS cannot swap in a private one afterwards.
 */
export async function downloadImage(url: string, options: DownloadOptions): Promise<Uint8Array> {
  return download(url, options, collectBody);
}

/**
 * The same download streamed to `destination` instead of memory (for clips of hundreds of MiB): written
 * beside it and renamed into place when complete. Resolves to the number of bytes written.
 */
export async function downloadToFile(url: string, destination: string, options: DownloadOptions): Promise<number> {
  return download(url, options, (response, hopUrl, maxBytes) => writeBodyToFile(response, hopUrl, maxBytes, destination));
}

async function download<T>(url: string, options: DownloadOptions, sink: BodySink<T>): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  try {
    return await followRedirects(parseAllowedUrl(url), options, sink, deadline.signal);
  } catch (error) {
    if (deadline.signal.aborted) throw timedOut(url, options.timeoutMs, error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function followRedirects<T>(start: URL, options: DownloadOptions, sink: BodySink<T>, signal: AbortSignal): Promise<T> {
  let current = start;
  for (let redirects = 0; ; redirects += 1) {
    if (options.allowedHosts !== undefined) assertAllowedHost(current, options.allowedHosts);
    const privateAllowed = options.allowPrivateNetwork === true || (options.trustedOrigins?.includes(current.origin) ?? false);
    const address = await untilAborted(resolveAllowedAddress(current, privateAllowed), signal);
    const outcome = await requestOnce(current, address, { maxBytes: options.maxBytes, sink, signal });
    if (outcome.kind === 'body') return outcome.result;
    if (redirects >= MAX_REDIRECTS) {
      throw new IdolensError('download_failed', 'The website redirected me too many times.', {
        url: redactUrl(start.href),
        maxRedirects: MAX_REDIRECTS,
      });
    }
    current = parseAllowedUrl(resolveLocation(outcome.location, current));
  }
}

function parseAllowedUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new IdolensError('url_not_allowed', 'That is not a web address I can read.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new IdolensError('url_not_allowed', 'I only download from http:// and https:// addresses.', {
      protocol: parsed.protocol,
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new IdolensError('url_not_allowed', 'I do not download from addresses that contain a user name or password.');
  }
  return parsed;
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new IdolensError('download_failed', 'The website redirected me to an address I cannot read.', {
      url: redactUrl(base.href),
    });
  }
}

function assertAllowedHost(url: URL, allowedHosts: readonly string[]): void {
  if (isAllowedHost(url.hostname, allowedHosts)) return;
  throw new IdolensError('url_not_allowed', `I only download from the chat platform's own media servers, not from ${url.hostname}.`, {
    url: redactUrl(url.href),
    host: url.hostname,
  });
}

async function resolveAllowedAddress(url: URL, allowPrivateNetwork: boolean): Promise<LookupAddress> {
  const host = bareHostname(url);
  const addresses = await resolveHost(host, url);
  const [first] = addresses;
  if (first === undefined) throw hostNotFound(url);
  const kinds = new Set(addresses.map((candidate) => classifyAddress(candidate.address)));
  const allowed = allowPrivateNetwork ? ['public', 'private'] : ['public'];
  if ([...kinds].some((kind) => !allowed.includes(kind))) {
    throw new IdolensError('url_not_allowed', 'That address leads into a private network, so I will not download from it.', {
      url: redactUrl(url.href),
    });
  }
  return first;
}

async function resolveHost(host: string, url: URL): Promise<LookupAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw hostNotFound(url, error);
  }
}

/** `new URL('http://[::1]/').hostname` keeps the brackets; sockets want the bare address. */
function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

interface HopRequest<T> {
  maxBytes: number;
  sink: BodySink<T>;
  signal: AbortSignal;
}

function requestOnce<T>(url: URL, target: LookupAddress, hop: HopRequest<T>): Promise<HopOutcome<T>> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<HopOutcome<T>>((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const request = client.request(
      {
        protocol: url.protocol,
        hostname: bareHostname(url),
        port: url.port === '' ? null : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { 'user-agent': USER_AGENT, accept: 'image/*, application/zip;q=0.9, */*;q=0.5' },
        agent: false,
        lookup: pinnedLookup(target),
        signal: hop.signal,
      },
      (arrived) => {
        response = arrived;
        handleResponse(arrived, url, hop).then(resolve, (error: unknown) => {
          request.destroy();
          reject(error);
        });
      },
    );
    // Once the body is being read, a failure must reach the reader, which settles only after cleaning up.
    request.on('error', (error) => {
      if (response === undefined) reject(transferFailed(url, error));
      else response.destroy(error);
    });
    request.end();
  });
}

async function handleResponse<T>(response: IncomingMessage, url: URL, { maxBytes, sink }: HopRequest<T>): Promise<HopOutcome<T>> {
  const status = response.statusCode ?? 0;
  if (REDIRECT_STATUSES.has(status)) {
    response.destroy();
    const location = response.headers.location;
    if (location === undefined || location === '') {
      throw new IdolensError('download_failed', 'The website redirected me nowhere.', { url: redactUrl(url.href), status });
    }
    return { kind: 'redirect', location };
  }
  if (status < 200 || status > 299) {
    response.destroy();
    throw new IdolensError('download_failed', `The website answered with an error (HTTP ${status}).`, {
      url: redactUrl(url.href),
      status,
    });
  }
  const declaredLength = Number(response.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    response.destroy();
    throw tooLarge(maxBytes, declaredLength);
  }
  return { kind: 'body', result: await sink(response, url, maxBytes) };
}

/** Hands the socket the address we already checked instead of asking DNS a second time. */
function pinnedLookup(target: LookupAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) callback(null, [target]);
    else callback(null, target.address, target.family);
  };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function hostNotFound(url: URL, cause?: unknown): IdolensError {
  return new IdolensError('download_failed', 'I could not find that website.', { url: redactUrl(url.href), reason: 'dns' }, {
    cause,
  });
}

function timedOut(url: string, timeoutMs: number, cause: unknown): IdolensError {
  return new IdolensError('download_failed', `The download took too long (more than ${formatWholeSeconds(timeoutMs)}), so I stopped it.`, {
    url: redactUrl(url),
    timeoutMs,
    reason: 'timeout',
  }, { cause });
}
