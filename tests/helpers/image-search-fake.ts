/**
 * A loopback fake of the three image search APIs (Wikimedia Commons, Brave, Google Programmable Search), in their
 * own JSON shapes, serving the images it lists from the same server. Failures can be queued per API.
 */
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { facePhoto } from './faces-dir.ts';
import { blackpinkPhoto, strangerPhotos } from './fixtures.ts';

export interface FakeImage {
  name: string;
  bytes: Buffer;
  contentType: string;
  licence?: string;
  author?: string;
}

type Api = 'commons' | 'brave' | 'google';

export interface QueuedFailure {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface SearchRequestRecord {
  api: Api | 'image';
  url: URL;
  headers: http.IncomingHttpHeaders;
}

export class ImageSearchFake {
  readonly requests: SearchRequestRecord[] = [];
  private readonly failures = new Map<Api, QueuedFailure[]>();

  private constructor(private readonly server: http.Server, public images: FakeImage[]) {}

  static async start(images: FakeImage[]): Promise<ImageSearchFake> {
    const server = http.createServer();
    const fake = new ImageSearchFake(server, images);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => fake.handle(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get root(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get commonsUrl(): string { return `${this.root}/w/api.php`; }
  get braveUrl(): string { return `${this.root}/res/v1/images/search`; }
  get googleUrl(): string { return `${this.root}/customsearch/v1`; }

  imageUrl(index: number): string {
    return `${this.root}/img/${index}/${encodeURIComponent(this.images[index]?.name ?? 'x')}`;
  }

  failNext(api: Api, failure: QueuedFailure): void {
    this.failures.set(api, [...(this.failures.get(api) ?? []), failure]);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.root);
    const api = this.apiOf(url.pathname);
    this.requests.push({ api, url, headers: request.headers });
    if (api === 'image') return this.serveImage(url, response);
    const failure = this.failures.get(api)?.shift();
    if (failure !== undefined) {
      response.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      response.end(failure.body ?? JSON.stringify({ error: { code: failure.status, message: 'failure' } }));
      return;
    }
    if (api === 'brave' && request.headers['x-subscription-token'] !== 'brave-key') return this.json(response, 422, braveKeyRefusal(request.headers['x-subscription-token']));
    if (api === 'google' && (url.searchParams.get('key') !== 'google-key' || url.searchParams.get('cx') !== 'engine-id')) return this.json(response, 400, { error: { code: 400, message: 'API key not valid.' } });
    this.json(response, 200, this.answer(api, url));
  }

  private apiOf(pathname: string): Api | 'image' {
    if (pathname.startsWith('/img/')) return 'image';
    if (pathname === '/w/api.php') return 'commons';
    if (pathname === '/res/v1/images/search') return 'brave';
    return 'google';
  }

  private answer(api: Api, url: URL): unknown {
    const indexes = this.images.map((_, index) => index);
    if (api === 'commons') {
      const limit = Number(url.searchParams.get('gsrlimit') ?? '10');
      const pages = Object.fromEntries(indexes.slice(0, limit).map((index) => [String(1000 + index), {
        title: `File:${this.images[index]?.name}`, index: index + 1,
        imageinfo: [{
          url: this.imageUrl(index), thumburl: this.imageUrl(index), descriptionurl: `${this.root}/wiki/File:${index}`, mime: 'image/jpeg', width: 800, height: 600, size: this.images[index]?.bytes.length,
          extmetadata: { LicenseShortName: { value: this.images[index]?.licence ?? 'CC BY-SA 4.0' }, Artist: { value: `<a href="//commons.wikimedia.org/wiki/User:X">${this.images[index]?.author ?? 'Photographer'}</a>` } },
        }],
      }]));
      return indexes.length === 0 ? { batchcomplete: '' } : { batchcomplete: '', query: { pages } };
    }
    if (api === 'brave') {
      const count = Number(url.searchParams.get('count') ?? '20');
      return { type: 'images', results: indexes.slice(0, count).map((index) => ({ type: 'image_result', title: this.images[index]?.name, url: `${this.root}/page/${index}`, properties: { url: this.imageUrl(index), width: 800, height: 600 }, thumbnail: { src: this.imageUrl(index) } })) };
    }
    const start = Number(url.searchParams.get('start') ?? '1');
    const num = Number(url.searchParams.get('num') ?? '10');
    const items = indexes.slice(start - 1, start - 1 + num).map((index) => ({ kind: 'customsearch#result', title: this.images[index]?.name, link: this.imageUrl(index), mime: 'image/jpeg', image: { contextLink: `${this.root}/page/${index}`, width: 800, height: 600, byteSize: this.images[index]?.bytes.length } }));
    return items.length === 0 ? { kind: 'customsearch#search' } : { kind: 'customsearch#search', items };
  }

  private serveImage(url: URL, response: http.ServerResponse): void {
    const image = this.images[Number(url.pathname.split('/')[2])];
    if (image === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': image.contentType, 'content-length': image.bytes.length });
    response.end(image.bytes);
  }

  private json(response: http.ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** Brave's answer to a missing (VALIDATION naming the header) or wrong (SUBSCRIPTION_TOKEN_INVALID) key, both HTTP 422. */
export function braveKeyRefusal(key: string | string[] | undefined): unknown {
  const error = key === undefined || key === ''
    ? { status: 422, code: 'VALIDATION', detail: 'Unable to validate request parameter(s)', meta: { errors: [{ input: null, loc: ['header', 'x-subscription-token'], msg: 'Field required', type: 'missing' }] } }
    : { status: 422, code: 'SUBSCRIPTION_TOKEN_INVALID', detail: 'The provided subscription token is invalid.', meta: { component: 'authentication' } };
  return { type: 'ErrorResponse', error: { id: '6a2c1f9e-0d4b-4c1e-9a57-3f0c2b8d1e44', ...error }, time: 1754364294 };
}

/** Six photos of Jennie that no test enrolls, one of Lisa and one of a stranger: a small search for the bots' tests. */
export async function startJennieSearchFake(): Promise<ImageSearchFake> {
  const jennie = readdirSync(facePhoto('blackpink_celebfr', 'jennie')).filter((name) => /\.jpe?g$/i.test(name)).sort().slice(8, 14);
  const files = [...jennie.map((name) => facePhoto('blackpink_celebfr', 'jennie', name)), blackpinkPhoto('lisa', 5), strangerPhotos()[1] ?? ''];
  return ImageSearchFake.start(await Promise.all(files.map(async (file, index) => ({ name: `${index}.jpg`, bytes: await readFile(file), contentType: 'image/jpeg', licence: 'CC BY 4.0' }))));
}
