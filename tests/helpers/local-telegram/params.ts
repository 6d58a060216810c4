/**
 * A method call's parameters, read as the Bot API reads them: the query string, then a JSON,
 * x-www-form-urlencoded or multipart/form-data body. Form values are strings, so objects arrive JSON-encoded.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest } from './api-error.ts';

export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export class Params {
  constructor(private readonly fields: Readonly<Record<string, unknown>>, readonly files: ReadonlyMap<string, UploadedFile>) {}

  has(name: string): boolean {
    return this.fields[name] !== undefined && this.fields[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.fields[name];
    if (typeof value === 'string') return value;
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
  }

  number(name: string): number | undefined {
    const value = this.fields[name];
    const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(parsed) ? parsed : undefined;
  }

  flag(name: string): boolean {
    const value = this.fields[name];
    return value === true || value === 'true' || value === '1' || value === 1;
  }

  /** An object or array parameter; form bodies carry it as a JSON string. */
  json(name: string): unknown {
    const value = this.fields[name];
    if (value === '') return undefined;
    if (typeof value !== 'string') return value ?? undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${name} JSON object`);
    }
  }

  /** The parameters for the request log, files as their name and size. */
  loggable(): Record<string, unknown> {
    const files = [...this.files.values()].map((file) => [file.field, { file: file.name, size: file.bytes.length }] as const);
    return { ...this.fields, ...Object.fromEntries(files) };
  }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function parseParams(contentType: string, raw: Buffer, query: URLSearchParams): Promise<Params> {
  const fields: Record<string, unknown> = Object.fromEntries(query);
  const files = new Map<string, UploadedFile>();
  if (raw.length === 0) return new Params(fields, files);
  if (contentType.startsWith('application/json')) Object.assign(fields, parseJsonObject(raw));
  else if (contentType.startsWith('application/x-www-form-urlencoded')) Object.assign(fields, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  else if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://local-telegram/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') fields[field] = value;
      else files.set(field, { field, name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return new Params(fields, files);
}

function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
