/**
 * Group packs with real models and a real store: a pack exported on one server and imported on another names the
 * same held-out photos with the same scores; a pack from the other embedder is described again from its crops;
 * hostile or lying packs are refused whole, with their reason, and create nothing; the CLI's export and import.
 */
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '../../core/config.ts';
import type { CoreContext } from '../../core/context.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { isIdolensError } from '../../core/errors.ts';
import { embedderInfo } from '../../core/faces/embedder-info.ts';
import { identifyImage, type IdentifiedFace } from '../../core/identify/identify.ts';
import { createLogger } from '../../core/logger.ts';
import { exportPack, importPack, MANIFEST_NAME, manifestSchema, type PackManifest } from '../../core/pack/index.ts';
import { readPackEntries } from '../../core/pack/pack-zip.ts';
import { SLASH_PHRASING } from '../../answers/phrasing.ts';
import type { CommandContext } from '../../commands/command.ts';
import { packCommand } from '../../commands/pack.ts';
import { PACK_LIMITS } from '../../core/pack/limits.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import { assertExit, jsonLines, runCli } from '../helpers/cli.ts';
import { BLACKPINK, enrollPhotosOf, heldOutPhotosOf, memberName } from '../helpers/fixtures.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';
import { buildZip, type ZipEntrySpec } from '../helpers/zip-writer.ts';

const GROUP = 'BLACKPINK';
const PHOTOS_PER_MEMBER = 3;
const ARCFACE = embedderInfo('arcface').id;
const DLIB = embedderInfo('dlib').id;

let tempDir: string;
let runtime: Runtime;
let context: CoreContext;
/** BLACKPINK exported with ArcFace (the embedder in use) and with dlib. */
let pack: Buffer;
let dlibPack: Buffer;

async function open(embedder: 'arcface' | 'dlib', dataDir: string): Promise<Runtime> {
  const config = loadConfig(testEnvironment({ IDOLENS_EMBEDDER: embedder, IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn' }), { dataDir });
  return openRuntime(config, createLogger(config.logLevel));
}

async function enrollBlackpink(core: CoreContext, server: string): Promise<void> {
  await core.store.createGroup(server, GROUP);
  for (const member of BLACKPINK) {
    await enrollPhotos(core, { server, group: GROUP, member: memberName(member), inputs: enrollPhotosOf(member, PHOTOS_PER_MEMBER), layout: 'flat', addedBy: 'admin-a' });
  }
}

before(async () => {
  tempDir = await makeTempDir('pack');
  const dlib = await open('dlib', path.join(tempDir, 'dlib-data'));
  try {
    await enrollBlackpink(dlib.context, 'dlib-a');
    dlibPack = (await exportPack(dlib.context, { server: 'dlib-a', group: GROUP })).bytes;
  } finally {
    await dlib.close();
  }
  runtime = await open('arcface', path.join(tempDir, 'data'));
  context = runtime.context;
  await enrollBlackpink(context, 'a');
  pack = (await exportPack(context, { server: 'a', group: GROUP })).bytes;
});

after(async () => {
  await runtime.close();
  await rm(tempDir, { recursive: true, force: true });
});

async function facesOn(server: string, group: string, file: string): Promise<IdentifiedFace[]> {
  const result = await identifyImage(context, { server, group, bytes: await readFile(file), source: file, render: false });
  return result.faces;
}

async function entriesOf(bytes: Buffer): Promise<Map<string, Buffer>> {
  return readPackEntries(bytes, PACK_LIMITS);
}

function manifestOf(entries: ReadonlyMap<string, Buffer>): PackManifest {
  return manifestSchema.parse(JSON.parse(entries.get(MANIFEST_NAME)?.toString('utf8') ?? ''));
}

/** The pack's entries, changed by `edit`, zipped again (the manifest re-serialised from `manifest`). */
function rebuilt(entries: ReadonlyMap<string, Buffer>, edit: (files: Map<string, Buffer>, manifest: PackManifest) => unknown): Buffer {
  const files = new Map(entries);
  const manifest = structuredClone(manifestOf(entries));
  const changed = edit(files, manifest) ?? manifest;
  files.set(MANIFEST_NAME, Buffer.from(JSON.stringify(changed)));
  return buildZip([...files].map(([name, data]): ZipEntrySpec => ({ name, data })));
}

describe('export', () => {
  it('holds face crops, descriptors and provenance, no photos; the server is named only when asked', async () => {
    const entries = await entriesOf(pack);
    const manifest = manifestOf(entries);
    assert.equal(manifest.embedder.id, ARCFACE);
    assert.deepEqual(manifest.counts, { members: 4, samples: 4 * PHOTOS_PER_MEMBER });
    assert.deepEqual(manifest.members.map((member) => member.name), BLACKPINK.map(memberName));
    assert.equal(manifest.sourceName, undefined);
    assert.equal(entries.size, 1 + 2 * 4 * PHOTOS_PER_MEMBER);
    const samples = await context.store.getSamples('a', GROUP);
    const first = manifest.members[0]?.samples[0];
    assert.ok(first);
    assert.deepEqual(entries.get(first.crop), samples[0]?.faceCrop?.jpeg, 'the crop is the stored face crop, not the photo');
    assert.equal(entries.get(first.descriptor)?.length, 512 * 4);
    assert.equal(first.provenance.addedBy, 'admin-a');
    assert.match(first.provenance.source, /\.jpg$/);
    const named = manifestOf(await entriesOf((await exportPack(context, { server: 'a', group: GROUP, sourceName: 'K-pop fans' })).bytes));
    assert.equal(named.sourceName, 'K-pop fans');
  });

  it('keeps who suggested and who approved a fan\'s correction, so it stays an approved face after the import', async () => {
    const [sample] = await context.store.getSamples('a', GROUP, 'Lisa');
    assert.ok(sample);
    const { id: _id, memberKey: _member, ...body } = sample;
    await context.store.createGroup('p', 'Corrected');
    await context.store.addSamples('p', 'Corrected', 'Lisa', [{ ...body, provenance: { ...body.provenance, suggestedBy: ['fan-1', 'fan-2'], approvedBy: 'admin-p' } }]);
    const exported = (await exportPack(context, { server: 'p', group: 'Corrected' })).bytes;
    assert.deepEqual(manifestOf(await entriesOf(exported)).members[0]?.samples[0]?.provenance.suggestedBy, ['fan-1', 'fan-2']);
    await importPack(context, { server: 'q', bytes: exported, fileName: 'corrected.zip', by: 'admin-q' });
    const [imported] = await context.store.getSamples('q', 'Corrected', 'Lisa');
    assert.deepEqual([imported?.provenance.suggestedBy, imported?.provenance.approvedBy, imported?.provenance.addedBy], [['fan-1', 'fan-2'], 'admin-p', 'admin-q']);
  });

  it('leaves out the samples that kept no face crop, and counts them up to the import', async () => {
    const [jennie] = await context.store.getSamples('a', GROUP, 'Jennie');
    assert.ok(jennie);
    const { id: _id, memberKey: _key, faceCrop: _crop, ...legacy } = jennie;
    const { id: _sameId, memberKey: _sameKey, ...kept } = jennie;
    await context.store.createGroup('legacy', GROUP);
    await context.store.addSamples('legacy', GROUP, 'Jennie', [kept, { ...legacy, contentHash: 'f'.repeat(64) }]);
    const exported = await exportPack(context, { server: 'legacy', group: GROUP });
    assert.deepEqual([exported.samples, exported.leftOut], [1, 1]);
    assert.equal(manifestOf(await entriesOf(exported.bytes)).leftOut, 1);
    const report = await importPack(context, { server: 'legacy-b', bytes: exported.bytes, fileName: 'legacy.zip', by: 'admin' });
    assert.deepEqual([report.samples, report.leftOutAtExport], [1, 1]);
  });

  it('refuses a group with no photos', async () => {
    await context.store.createGroup('a', 'Empty');
    await assert.rejects(exportPack(context, { server: 'a', group: 'Empty' }), (error) => isIdolensError(error) && error.code === 'pack_empty');
  });
});

describe('import', () => {
  it('round trip: the held-out photos get the same names and scores on both servers', async () => {
    const report = await importPack(context, { server: 'b', bytes: pack, fileName: 'bp.zip', by: 'admin-b' });
    assert.equal(report.group, GROUP);
    assert.equal(report.reembedded, false);
    assert.deepEqual(report.members, BLACKPINK.map((member) => ({ member: memberName(member), samples: PHOTOS_PER_MEMBER })));
    for (const member of BLACKPINK) {
      for (const file of heldOutPhotosOf(member).slice(0, 2)) {
        const [onA, onB] = [await facesOn('a', GROUP, file), await facesOn('b', GROUP, file)];
        assert.deepEqual(onB, onA, file);
      }
      const [face] = await facesOn('b', GROUP, heldOutPhotosOf(member)[0] as string);
      assert.equal(face?.name, memberName(member));
    }
    const imported = await context.store.getSamples('b', GROUP);
    const original = await context.store.getSamples('a', GROUP);
    assert.deepEqual(imported.map((sample) => [...sample.embedding]), original.map((sample) => [...sample.embedding]));
    assert.deepEqual(imported.map((sample) => sample.contentHash), original.map((sample) => sample.contentHash));
    for (const [index, sample] of imported.entries()) {
      assert.equal(sample.provenance.source, `pack:bp.zip/${original[index]?.provenance.source ?? ''}`);
      assert.equal(sample.provenance.addedBy, 'admin-b');
    }
  });

  it('a pack from the other embedder is described again from its crops and still names the held-out photos', async () => {
    const report = await importPack(context, { server: 'c', bytes: dlibPack, fileName: 'dlib.zip', by: 'admin-c' });
    assert.equal(report.reembedded, true);
    assert.deepEqual([report.packEmbedder, report.embedder], [DLIB, ARCFACE]);
    const samples = await context.store.getSamples('c', GROUP);
    assert.equal(samples.length, 4 * PHOTOS_PER_MEMBER);
    assert.ok(samples.every((sample) => sample.embedderId === ARCFACE && sample.embedding.length === 512));
    for (const member of BLACKPINK) {
      const [face] = [...await facesOn('c', GROUP, heldOutPhotosOf(member)[0] as string)].sort((a, b) => b.box.width - a.box.width);
      assert.equal(face?.name, memberName(member));
    }
  });
});

describe('hostile packs are refused whole and create nothing', () => {
  const SERVER = 'hostile';
  let entries: Map<string, Buffer>;
  let groupsBefore: string[];

  before(async () => {
    entries = await entriesOf(pack);
    await context.store.createGroup(SERVER, 'TWICE');
    groupsBefore = (await context.store.listGroups(SERVER)).map((group) => group.name);
  });

  async function refused(bytes: Buffer, code: string, reason: RegExp, as?: string): Promise<void> {
    await assert.rejects(
      importPack(context, { server: SERVER, bytes, fileName: 'hostile.zip', by: 'admin', ...(as === undefined ? {} : { as }), renameHint: () => 'use --as NAME.' }),
      (error) => {
        assert.ok(isIdolensError(error), String(error));
        assert.equal(error.code, code, error.message);
        assert.match(error.message, reason);
        return true;
      },
    );
    assert.deepEqual((await context.store.listGroups(SERVER)).map((group) => group.name), groupsBefore);
  }

  it('a zip bomb: a huge declared size, a huge compression ratio, a size that lies', async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    await refused(buildZip([{ name: MANIFEST_NAME, data: Buffer.from('{}') }, { name: 'samples/0001.jpg', data: zeros }]), 'pack_too_large', /unpacks to 8\.0 MiB; at most 2\.0 MiB/);
    await refused(buildZip([{ name: 'samples/0001.jpg', data: Buffer.alloc(1024 * 1024) }]), 'pack_too_large', /compressed \d+ times, as zip bombs are/);
    await refused(buildZip([{ name: 'samples/0001.jpg', data: Buffer.alloc(1024 * 1024), declaredSize: 100 }]), 'pack_invalid', /does not have the size the pack says|bigger than the pack says/);
    const tooMany = Array.from({ length: PACK_LIMITS.maxEntries + 1 }, (_, index): ZipEntrySpec => ({ name: `samples/${index}.f32`, method: 'store' }));
    await refused(buildZip(tooMany), 'pack_too_large', new RegExp(`holds ${PACK_LIMITS.maxEntries + 1} files; a pack may hold ${PACK_LIMITS.maxEntries}`));
  });

  it('names that point outside the pack', async () => {
    for (const name of ['../x', '/etc/x', 'samples/../../x']) {
      await refused(buildZip([...[...entries].map(([entry, data]) => ({ name: entry, data })), { name, data: Buffer.from('x') }]), 'pack_invalid', /name points outside it/);
    }
  });

  it('a manifest lying about its counts, or naming files the pack does not hold', async () => {
    await refused(rebuilt(entries, (_files, manifest) => { manifest.counts.samples += 1; }), 'pack_invalid', /says 4 members and 13 photos but lists 4 and 12/);
    await refused(rebuilt(entries, (files) => { files.delete('samples/0002.f32'); }), 'pack_invalid', /names "samples\/0002.f32", which is not in the pack/);
    await refused(rebuilt(entries, (files) => { files.set('samples/9999.jpg', Buffer.from('x')); }), 'pack_invalid', /holds "samples\/9999.jpg", which its manifest does not name/);
    await refused(rebuilt(entries, (_files, manifest) => ({ ...manifest, format: 'zip' })), 'pack_invalid', /manifest is not valid \(format/);
  });

  it('a descriptor that does not match its crop (another member\'s)', async () => {
    const manifest = manifestOf(entries);
    const [jennie, lisa] = [manifest.members[0]?.samples[0], manifest.members[2]?.samples[0]];
    assert.ok(jennie && lisa);
    const swapped = rebuilt(entries, (files) => { files.set(jennie.descriptor, entries.get(lisa.descriptor) ?? Buffer.alloc(0)); });
    await refused(swapped, 'pack_mismatch', /the descriptor of Jennie's photo #1 does not match its face picture/);
  });

  it('a crop that is not an image, or not a face-crop-sized one', async () => {
    await refused(rebuilt(entries, (files) => { files.set('samples/0003.jpg', Buffer.from('<html>not a picture</html>')); }), 'pack_invalid', /face picture of Jennie's photo #3 .* is not a JPEG or PNG image/);
    const png = await (await import('sharp')).default({ create: { width: 300, height: 200, channels: 3, background: '#888' } }).png().toBuffer();
    await refused(rebuilt(entries, (files) => { files.set('samples/0001.jpg', png); }), 'pack_invalid', /is not a JPEG or PNG image|is 300×200 px/);
  });

  it('a manifest of 10,000 members', async () => {
    const members = Array.from({ length: 10_000 }, (_, index) => ({ name: `Member ${index}`, samples: [] }));
    await refused(rebuilt(entries, (_files, manifest) => ({ ...manifest, members })), 'pack_too_large', /10000 members; a group may have at most 200/);
  });

  it('a group name that already exists (and the refusal says how to import it anyway)', async () => {
    await refused(pack, 'group_exists', /A group named TWICE already exists here, so nothing was imported: use --as NAME/, 'twice');
  });
});

describe('the /pack command', () => {
  function commandContext(uploadLimitBytes: number): CommandContext {
    return { core: context, server: 'a', user: 'admin-a', isAdmin: true, uploadLimitBytes, phrasing: SLASH_PHRASING, admins: 'Manage Server' };
  }

  it('export answers with the zip when it fits the upload limit, else with its size and the limit', async () => {
    const fits = await packCommand.run(commandContext(50 * 1024 * 1024), { subcommand: 'export', group: 'blackpink' });
    assert.equal(fits.kind, 'reply');
    const [file] = fits.kind === 'reply' ? fits.answer.files : [];
    assert.ok(file && 'bytes' in file);
    assert.equal(file.name, 'BLACKPINK.idolens-pack.zip');
    assert.equal(manifestOf(await entriesOf(file.bytes)).counts.samples, 4 * PHOTOS_PER_MEMBER);
    const tooBig = await packCommand.run(commandContext(100 * 1024), { subcommand: 'export', group: GROUP });
    assert.equal(tooBig.kind === 'reply' ? tooBig.answer.files.length : -1, 0);
    assert.match(tooBig.kind === 'reply' ? tooBig.answer.text : '', /The pack is 0\.2 MiB, more than the 100 KiB I may send here: export it with the idolens command line/);
  });

  it('import is a job; typed on Telegram as the caption of the zip', async () => {
    const zip = { name: 'bp.zip', size: pack.length, url: 'https://cdn.example/bp.zip' };
    const outcome = await packCommand.run(commandContext(1024), { subcommand: 'import', file: zip, as: ' BP  Two ' });
    assert.equal(outcome.kind, 'job');
    assert.deepEqual(outcome.kind === 'job' ? outcome.job : undefined, { name: 'pack', payload: { file: { kind: 'url', url: zip.url, name: 'bp.zip', trust: 'platform' }, as: 'BP Two' } });
    const parse = packCommand.text.parse;
    assert.deepEqual(parse(['import', 'as', 'BP', 'Two'], { images: [], video: undefined, archive: zip }), { subcommand: 'import', as: 'BP Two', file: zip });
    assert.deepEqual(parse(['export', 'BLACKPINK'], { images: [], video: undefined, archive: undefined }), { subcommand: 'export', group: 'BLACKPINK' });
    assert.throws(() => parse(['import'], { images: [], video: undefined, archive: undefined }), /Send the pack \(\.zip\)/);
  });
});

describe('the CLI', () => {
  const exportLine = z.strictObject({ group: z.string(), file: z.string(), bytes: z.number().int().positive(), members: z.number().int(), samples: z.number().int(), leftOut: z.number().int() });
  const importLine = z.strictObject({
    group: z.string(), members: z.array(z.strictObject({ member: z.string(), samples: z.number().int() })), samples: z.number().int(),
    packEmbedder: z.string(), embedder: z.string(), reembedded: z.boolean(), leftOutAtExport: z.number().int(), sourceName: z.string().optional(),
  });
  const errorLine = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

  it('pack import, export (never over an existing file without --force), import --as, and refusals as JSON', async () => {
    const cliData = path.join(tempDir, 'cli-data');
    const input = path.join(tempDir, 'in.zip');
    const output = path.join(tempDir, 'out.zip');
    await writeFile(input, pack);
    const imported = await runCli(cliData, 'cli', 'pack', 'import', input, '--json');
    assertExit(imported, 0);
    assert.deepEqual(jsonLines(imported, importLine).map((line) => [line.group, line.samples, line.reembedded]), [[GROUP, 4 * PHOTOS_PER_MEMBER, false]]);

    const exported = await runCli(cliData, 'cli', 'pack', 'export', GROUP, '-o', output, '--source-name', 'CLI fans', '--json');
    assertExit(exported, 0);
    const [line] = jsonLines(exported, exportLine);
    assert.deepEqual(line, { group: GROUP, file: output, bytes: (await readFile(output)).length, members: 4, samples: 4 * PHOTOS_PER_MEMBER, leftOut: 0 });
    assert.equal(manifestOf(await entriesOf(await readFile(output))).sourceName, 'CLI fans');

    await writeFile(output, 'keep me');
    const again = await runCli(cliData, 'cli', 'pack', 'export', GROUP, '-o', output, '--json');
    assertExit(again, 2);
    assert.match(again.stderr, /already exists: add --force/);
    assert.equal(await readFile(output, 'utf8'), 'keep me');
    assertExit(await runCli(cliData, 'cli', 'pack', 'export', GROUP, '-o', output, '--force'), 0);

    const exists = await runCli(cliData, 'cli', 'pack', 'import', output, '--json');
    assertExit(exists, 1);
    const [refusal] = jsonLines(exists, errorLine);
    assert.equal(refusal?.error.code, 'group_exists');
    assert.match(refusal?.error.message ?? '', /--as NAME/);

    const renamed = await runCli(cliData, 'cli', 'pack', 'import', output, '--as', 'BP Copy', '--json');
    assertExit(renamed, 0);
    assert.equal(jsonLines(renamed, importLine)[0]?.group, 'BP Copy');

    const slip = path.join(tempDir, 'slip.zip');
    await writeFile(slip, buildZip([{ name: '../evil.txt', data: Buffer.from('x') }]));
    const hostile = await runCli(cliData, 'cli', 'pack', 'import', slip, '--as', 'Evil', '--json');
    assertExit(hostile, 1);
    assert.equal(jsonLines(hostile, errorLine)[0]?.error.code, 'pack_invalid');
    const groups = await runCli(cliData, 'cli', 'group', 'list', '--json');
    assert.deepEqual(groups.stdout.trim().split('\n').map((entry) => (JSON.parse(entry) as { group: string }).group), [GROUP, 'BP Copy']);
  });
});
