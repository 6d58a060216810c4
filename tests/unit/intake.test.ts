import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { constants, deflateRawSync } from 'node:zlib';
import { classifyAddress, expandInputs, isInputError, isPublicAddress, redactUrl } from '../../core/intake/index.ts';
import type { ExpandOptions, InputError, InputItem, IntakeEntry } from '../../core/intake/index.ts';
import { buildZip } from '../helpers/zip-writer.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const facesRoot = path.resolve(repoRoot, '..', 'shared', 'faces');
if (!existsSync(facesRoot)) throw new Error(`Real face photos are missing: expected them in ${facesRoot}`);

const tempRoot = mkdtempSync(path.join(os.tmpdir(), 'idolens-intake-'));
after(() => rmSync(tempRoot, { recursive: true, force: true }));

function realPhoto(member: string, index: number): Buffer {
  const folder = path.join(facesRoot, 'blackpink_celebfr', member);
  const name = readdirSync(folder).filter((file) => file.endsWith('.jpg')).sort()[index];
  if (name === undefined) throw new Error(`No photo #${index} for ${member} in ${folder}`);
  return readFileSync(path.join(folder, name));
}

const jennie1 = realPhoto('jennie', 0);
const jennie2 = realPhoto('jennie', 1);
const lisa1 = realPhoto('lisa', 0);

let tempCount = 0;
function freshDir(): string {
  tempCount += 1;
  const dir = path.join(tempRoot, `case-${tempCount}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function writeTree(root: string, files: Record<string, Uint8Array | string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

async function collect(args: string[], options: ExpandOptions = { layout: 'flat' }): Promise<IntakeEntry[]> {
  const entries: IntakeEntry[] = [];
  for await (const entry of expandInputs(args, options)) entries.push(entry);
  return entries;
}

function itemsOf(entries: IntakeEntry[]): InputItem[] {
  return entries.filter((entry): entry is InputItem => !isInputError(entry));
}

function errorsOf(entries: IntakeEntry[]): InputError[] {
  return entries.filter(isInputError);
}

test('a folder with one folder per member yields every photo with its member, in name order, without hidden files', async () => {
  const data = path.join(freshDir(), 'data');
  writeTree(data, {
    'lisa/1.jpg': lisa1,
    'jennie/b.jpg': jennie2,
    'jennie/a.jpg': jennie1,
    'jennie/2020/c.jpg': jennie1,
    'lisa/.hidden.jpg': lisa1,
    'lisa/Thumbs.db': 'x',
    '.DS_Store': 'x',
    '__MACOSX/jennie/._a.jpg': 'x',
    '.git/config': 'x',
  });
  const entries = await collect([data], { layout: 'member-folders' });
  assert.deepEqual(errorsOf(entries), []);
  const items = itemsOf(entries);
  assert.deepEqual(
    items.map((item) => [item.source, item.member]),
    [
      [path.join(data, 'jennie/2020/c.jpg'), 'jennie'],
      [path.join(data, 'jennie/a.jpg'), 'jennie'],
      [path.join(data, 'jennie/b.jpg'), 'jennie'],
      [path.join(data, 'lisa/1.jpg'), 'lisa'],
    ],
  );
  assert.deepEqual(Buffer.from(await items[1]!.read()), jennie1);
  assert.deepEqual(Buffer.from(await items[3]!.read()), lisa1);
});

test('member folder names come out in composed Unicode form whatever the file system stored', async () => {
  const data = freshDir();
  writeTree(data, { [`${'제니'.normalize('NFD')}/1.jpg`]: jennie1, 'lisa/1.jpg': lisa1 });
  const members = itemsOf(await collect([data], { layout: 'member-folders' })).map((item) => item.member);
  assert.deepEqual(new Set(members), new Set(['제니', 'lisa']));
});

test('photos outside any member folder are reported with the layout I expect, the others still come', async () => {
  const data = freshDir();
  writeTree(data, { 'loose.jpg': jennie1, 'jennie/1.jpg': jennie1 });
  const single = path.join(freshDir(), 'single.jpg');
  writeFileSync(single, lisa1);
  const entries = await collect([data, single], { layout: 'member-folders' });
  assert.deepEqual(itemsOf(entries).map((item) => item.member), ['jennie']);
  const errors = errorsOf(entries);
  assert.deepEqual(errors.map((error) => error.source), [path.join(data, 'loose.jpg'), single]);
  for (const { error } of errors) {
    assert.equal(error.code, 'invalid_archive');
    assert.match(error.message, /member folder/);
    assert.match(error.message, /jennie\/1\.jpg/);
  }
});

test('with a flat layout, files and folders give items without a member', async () => {
  const dir = freshDir();
  writeTree(dir, { 'a.jpg': jennie1, 'sub/b.jpg': lisa1 });
  const items = itemsOf(await collect([path.join(dir, 'a.jpg'), path.join(dir, 'sub')]));
  assert.deepEqual(items.map((item) => item.source), [path.join(dir, 'a.jpg'), path.join(dir, 'sub', 'b.jpg')]);
  assert.ok(items.every((item) => !('member' in item)));
});

test('a missing path gets its own not_found entry while the other inputs still come through', async () => {
  const dir = freshDir();
  writeTree(dir, { 'a.jpg': jennie1, 'more/b.jpg': lisa1 });
  const missing = path.join(dir, 'nope.jpg');
  const entries = await collect([path.join(dir, 'a.jpg'), missing, path.join(dir, 'more')]);
  assert.deepEqual(
    entries.map((entry) => (isInputError(entry) ? `error:${entry.error.code}` : entry.source)),
    [path.join(dir, 'a.jpg'), 'error:not_found', path.join(dir, 'more', 'b.jpg')],
  );
  assert.equal(entries[1]!.source, missing);
});

test('an empty folder is reported instead of silently giving nothing', async () => {
  const dir = freshDir();
  writeTree(dir, { '.hidden.jpg': jennie1 });
  const entries = await collect([dir]);
  assert.deepEqual(entries.map((entry) => isInputError(entry) && entry.error.code), ['not_found']);
});

test('a file over the per-file limit is refused when read, before loading it', async () => {
  const file = path.join(freshDir(), 'big.jpg');
  writeFileSync(file, jennie1);
  const [item] = itemsOf(await collect([file], { layout: 'flat', limits: { maxBytesPerFile: 1000 } }));
  await assert.rejects(item!.read(), { code: 'too_large' });
});

test('more photos than maxFiles stop with a too_large entry', async () => {
  const dir = freshDir();
  writeTree(dir, { '1.jpg': jennie1, '2.jpg': jennie2, '3.jpg': lisa1 });
  const other = path.join(freshDir(), 'other.jpg');
  writeFileSync(other, lisa1);
  const entries = await collect([dir, other], { layout: 'flat', limits: { maxFiles: 2 } });
  assert.equal(itemsOf(entries).length, 2);
  assert.deepEqual(errorsOf(entries).map((entry) => [entry.source, entry.error.code]), [
    [dir, 'too_large'],
    [other, 'too_large'],
  ]);
});

test('a symlink to a photo is followed, a symlink to a folder is not', async () => {
  const dir = freshDir();
  writeTree(dir, { 'real/1.jpg': jennie1 });
  symlinkSync(path.join(dir, 'real', '1.jpg'), path.join(dir, 'real', 'link.jpg'));
  symlinkSync(dir, path.join(dir, 'real', 'loop'));
  const items = itemsOf(await collect([path.join(dir, 'real')]));
  assert.deepEqual(items.map((item) => path.basename(item.source)), ['1.jpg', 'link.jpg']);
});

test('a zip with one folder per member yields its photos with members, skipping folders, symlinks and clutter', async () => {
  const zipPath = path.join(freshDir(), 'group.zip');
  writeFileSync(zipPath, buildZip([
    { name: 'jennie/' },
    { name: 'jennie/1.jpg', data: jennie1 },
    { name: 'lisa/1.jpg', data: lisa1, method: 'store' },
    { name: 'lisa/link.jpg', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    { name: '__MACOSX/lisa/._1.jpg', data: Buffer.from('x') },
    { name: '.DS_Store', data: Buffer.from('x') },
  ]));
  const entries = await collect([zipPath], { layout: 'member-folders' });
  assert.deepEqual(errorsOf(entries), []);
  const items = itemsOf(entries);
  assert.deepEqual(items.map((item) => [item.source, item.member]), [
    [`${zipPath}:jennie/1.jpg`, 'jennie'],
    [`${zipPath}:lisa/1.jpg`, 'lisa'],
  ]);
  assert.deepEqual(Buffer.from(await items[0]!.read()), jennie1);
  assert.deepEqual(Buffer.from(await items[1]!.read()), lisa1);
  assert.deepEqual(Buffer.from(await items[0]!.read()), jennie1, 'an item can be read again');
});

test('a zip of a folder uses the member folders inside its single wrapper folder', async () => {
  const zipPath = path.join(freshDir(), 'data.zip');
  writeFileSync(zipPath, buildZip([
    { name: 'data/jennie/1.jpg', data: jennie1 },
    { name: 'data/lisa/1.jpg', data: lisa1 },
  ]));
  const items = itemsOf(await collect([zipPath], { layout: 'member-folders' }));
  assert.deepEqual(items.map((item) => item.member), ['jennie', 'lisa']);
  assert.equal(items[0]!.source, `${zipPath}:data/jennie/1.jpg`);
});

test('a stray file beside the member folders inside the wrapper folder does not stop the unwrapping', async () => {
  const zipPath = path.join(freshDir(), 'data.zip');
  writeFileSync(zipPath, buildZip([
    { name: 'data/readme.txt', data: Buffer.from('hello') },
    { name: 'data/jennie/1.jpg', data: jennie1 },
  ]));
  const entries = await collect([zipPath], { layout: 'member-folders' });
  assert.deepEqual(itemsOf(entries).map((item) => item.member), ['jennie']);
  assert.equal(entries.filter(isInputError).length, 1);
});

test('a zip is recognised by its first bytes whatever its name, and a .zip name alone is not enough', async () => {
  const dir = freshDir();
  writeFileSync(path.join(dir, 'photos.bin'), buildZip([{ name: '1.jpg', data: jennie1 }]));
  writeFileSync(path.join(dir, 'fake.zip'), jennie1);
  const entries = await collect([path.join(dir, 'photos.bin'), path.join(dir, 'fake.zip')]);
  assert.deepEqual(itemsOf(entries).map((item) => item.source), [
    `${path.join(dir, 'photos.bin')}:1.jpg`,
    path.join(dir, 'fake.zip'),
  ]);
});

test('zip entries whose names climb out of the archive are refused and the other entries still come', async () => {
  const zipPath = path.join(freshDir(), 'slip.zip');
  writeFileSync(zipPath, buildZip([
    { name: '../evil.jpg', data: jennie1 },
    { name: 'jennie/../../evil2.jpg', data: jennie1 },
    { name: '/etc/evil3.jpg', data: jennie1 },
    { name: 'C:\\evil4.jpg', data: jennie1 },
    { name: 'jennie/1.jpg', data: jennie1 },
  ]));
  const entries = await collect([zipPath], { layout: 'member-folders' });
  assert.deepEqual(itemsOf(entries).map((item) => item.source), [`${zipPath}:jennie/1.jpg`]);
  const errors = errorsOf(entries);
  assert.equal(errors.length, 4);
  for (const { error } of errors) {
    assert.equal(error.code, 'invalid_archive');
    assert.equal(error.details.reason, 'absolute_or_parent_path');
  }
  assert.equal(errors[0]!.source, `${zipPath}:../evil.jpg`);
});

test('a zip entry that inflates to more than its header says is stopped early, not inflated to the end', async () => {
  // 32 MiB of zeros as an unfinished deflate stream, then bytes that are not valid deflate:
  // inflating to the end would fail on the garbage; stopping at the declared size fails on the size.
  const bomb = Buffer.concat([
    deflateRawSync(Buffer.alloc(32 * 1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH }),
    Buffer.alloc(64, 0xff),
  ]);
  const zipPath = path.join(freshDir(), 'liar.zip');
  writeFileSync(zipPath, buildZip([{ name: 'bomb.jpg', compressed: bomb, declaredSize: 1000 }]));
  const [item] = itemsOf(await collect([zipPath]));
  await assert.rejects(item!.read(), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error && 'details' in error);
    assert.equal(error.code, 'invalid_archive');
    assert.deepEqual(error.details, { reason: 'size_mismatch' });
    return true;
  });
});

test('a zip entry whose header declares more than the per-file limit is refused without reading it', async () => {
  const zipPath = path.join(freshDir(), 'big.zip');
  writeFileSync(zipPath, buildZip([{ name: 'big.jpg', data: jennie1 }, { name: 'small.jpg', data: Buffer.alloc(10) }]));
  const entries = await collect([zipPath], { layout: 'flat', limits: { maxBytesPerFile: 1000 } });
  assert.deepEqual(errorsOf(entries).map((entry) => [entry.source, entry.error.code]), [[`${zipPath}:big.jpg`, 'too_large']]);
  assert.deepEqual(itemsOf(entries).map((item) => item.source), [`${zipPath}:small.jpg`]);
});

test('a zip that unpacks past the archive limit or holds too many files is refused as a whole', async () => {
  const dir = freshDir();
  const zipPath = path.join(dir, 'heavy.zip');
  writeFileSync(zipPath, buildZip([{ name: '1.jpg', data: jennie1 }, { name: '2.jpg', data: jennie2 }]));
  const heavy = await collect([zipPath], { layout: 'flat', limits: { maxArchiveBytes: jennie1.length + 10 } });
  assert.deepEqual(heavy.map((entry) => isInputError(entry) && [entry.source, entry.error.code]), [[zipPath, 'too_large']]);
  const crowded = await collect([zipPath], { layout: 'flat', limits: { maxFiles: 1 } });
  assert.deepEqual(crowded.map((entry) => isInputError(entry) && entry.error.code), ['too_large']);
});

test('a truncated zip is reported as a damaged archive and the next input still comes', async () => {
  const dir = freshDir();
  const whole = buildZip([{ name: 'jennie/1.jpg', data: jennie1 }, { name: 'lisa/1.jpg', data: lisa1 }]);
  const zipPath = path.join(dir, 'cut.zip');
  writeFileSync(zipPath, whole.subarray(0, Math.floor(whole.length / 2)));
  const photo = path.join(dir, 'ok.jpg');
  writeFileSync(photo, jennie1);
  const entries = await collect([zipPath, photo]);
  const [first, second] = entries;
  assert.ok(first !== undefined && isInputError(first));
  assert.equal(first.source, zipPath);
  assert.equal(first.error.code, 'invalid_archive');
  assert.match(first.error.message, /damaged/);
  assert.ok(second !== undefined && !isInputError(second));
});

test('an empty zip is reported', async () => {
  const zipPath = path.join(freshDir(), 'empty.zip');
  writeFileSync(zipPath, buildZip([{ name: 'jennie/' }, { name: '.DS_Store', data: Buffer.from('x') }]));
  const entries = await collect([zipPath]);
  assert.deepEqual(entries.map((entry) => isInputError(entry) && entry.error.code), ['invalid_archive']);
});

test('zip entry names without the UTF-8 flag are read as CP437', async () => {
  const zipPath = path.join(freshDir(), 'old.zip');
  const name = Buffer.concat([Buffer.from('caf'), Buffer.from([0x82]), Buffer.from('.jpg')]);
  writeFileSync(zipPath, buildZip([{ name, data: jennie1 }, { name: '제니/1.jpg', data: jennie1 }]));
  const items = itemsOf(await collect([zipPath]));
  assert.deepEqual(items.map((item) => item.source), [`${zipPath}:café.jpg`, `${zipPath}:제니/1.jpg`]);
});

test('a URL becomes one item with its query string hidden, and other schemes are refused', async () => {
  const entries = await collect(['https://example.com/p/a.jpg?token=secret#x', 'ftp://example.com/a.jpg', 'file:///etc/passwd']);
  const [url, ftp, file] = entries;
  assert.ok(url !== undefined && !isInputError(url));
  assert.equal(url.source, 'https://example.com/p/a.jpg');
  assert.ok(ftp !== undefined && isInputError(ftp) && ftp.error.code === 'url_not_allowed');
  assert.ok(file !== undefined && isInputError(file) && file.error.code === 'url_not_allowed');
  const byFolder = await collect(['https://example.com/a.jpg'], { layout: 'member-folders' });
  assert.deepEqual(byFolder.map((entry) => isInputError(entry) && entry.error.code), ['invalid_archive']);
});

test('redactUrl drops credentials, query strings and fragments', () => {
  assert.equal(redactUrl('https://user:pw@cdn.example.com:8443/a/b.jpg?sig=abc&x=1#frag'), 'https://cdn.example.com:8443/a/b.jpg');
  assert.equal(redactUrl('not a url?token=1'), 'not a url');
});

test('only public addresses count as public, including inside IPv4-mapped and NAT64 IPv6', () => {
  const refused = [
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fd00::1', 'fc00::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::192.168.0.1', 'not-an-ip',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
  for (const address of refused) assert.equal(isPublicAddress(address), false, address);
  for (const address of allowed) assert.equal(isPublicAddress(address), true, address);
});

test('link-local addresses, where cloud metadata lives, are told apart from ordinary private ones', () => {
  for (const address of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', 'fd00:ec2::254']) {
    assert.equal(classifyAddress(address), 'link_local', address);
  }
  for (const address of ['127.0.0.1', '10.0.0.1', '::1', 'fd12::1']) assert.equal(classifyAddress(address), 'private', address);
  assert.equal(classifyAddress('example.com'), 'invalid');
});
