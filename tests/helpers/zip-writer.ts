import { deflateRawSync } from 'node:zlib';
import { crc32 } from './crc32.ts';

/** One entry of a zip built for a test; the overrides let a test craft a broken or lying archive. */
export interface ZipEntrySpec {
  /** A string is stored as UTF-8 (flag set); a Buffer is stored as raw bytes (CP437 by the spec). */
  name: string | Buffer;
  data?: Uint8Array;
  method?: 'store' | 'deflate';
  /** Bytes to store instead of compressing `data`. */
  compressed?: Buffer;
  /** Uncompressed size to write in both headers instead of the real one. */
  declaredSize?: number;
  /** Unix file mode (e.g. 0o120777 for a symlink); sets "made by Unix". */
  unixMode?: number;
}

const UTF8_FLAG = 0x0800;
const VERSION = 20;
const MADE_BY_UNIX = (3 << 8) | VERSION;
const DOS_TIME = 0;
const DOS_DATE = (2024 - 1980) << 9 | (1 << 5) | 1;

interface PreparedEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: Buffer;
  declaredSize: number;
  madeBy: number;
  externalAttributes: number;
  offset: number;
}

/** Builds a minimal zip archive (no zip64, no data descriptors) in memory. */
export function buildZip(entries: readonly ZipEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  const prepared: PreparedEntry[] = [];
  let offset = 0;
  for (const spec of entries) {
    const entry = prepare(spec, offset);
    const local = Buffer.concat([localHeader(entry), entry.name, entry.compressed]);
    parts.push(local);
    prepared.push(entry);
    offset += local.length;
  }
  const central = Buffer.concat(prepared.flatMap((entry) => [centralHeader(entry), entry.name]));
  parts.push(central, endOfCentralDirectory(prepared.length, central.length, offset));
  return Buffer.concat(parts);
}

function prepare(spec: ZipEntrySpec, offset: number): PreparedEntry {
  const data = Buffer.from(spec.data ?? new Uint8Array());
  const store = spec.method === 'store';
  const isUtf8 = typeof spec.name === 'string';
  return {
    name: typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : spec.name,
    flags: isUtf8 ? UTF8_FLAG : 0,
    method: store ? 0 : 8,
    crc: crc32(data),
    compressed: spec.compressed ?? (store ? data : deflateRawSync(data)),
    declaredSize: spec.declaredSize ?? data.length,
    madeBy: spec.unixMode === undefined ? VERSION : MADE_BY_UNIX,
    externalAttributes: spec.unixMode === undefined ? 0 : (spec.unixMode << 16) >>> 0,
    offset,
  };
}

function localHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressed.length, 18);
  header.writeUInt32LE(entry.declaredSize, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(0, 28);
  return header;
}

function centralHeader(entry: PreparedEntry): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(entry.madeBy, 4);
  header.writeUInt16LE(VERSION, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressed.length, 20);
  header.writeUInt32LE(entry.declaredSize, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt32LE(entry.externalAttributes, 38);
  header.writeUInt32LE(entry.offset, 42);
  return header;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(count, 8);
  record.writeUInt16LE(count, 10);
  record.writeUInt32LE(size, 12);
  record.writeUInt32LE(offset, 16);
  return record;
}
