/**
 * A change of embedder: a group enrolled with dlib (in a store written before the switch) is re-embedded from its
 * face crops on first use, keeps its members and provenance, and identifies right afterwards; a sample from before
 * crops were kept is reported per member, never silently dropped.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { loadConfig } from '../../core/config.ts';
import { enrollPhotos } from '../../core/dataset/enroll.ts';
import { groupOverview } from '../../core/dataset/overview.ts';
import { embedderInfo } from '../../core/faces/embedder-info.ts';
import { identifyImage } from '../../core/identify/identify.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime, type Runtime } from '../../core/runtime.ts';
import type { SampleRecord } from '../../core/store/index.ts';
import { trainGroup } from '../../core/training/train-group.ts';
import { assertExit, jsonLines, runCliWithEnvironment } from '../helpers/cli.ts';
import { BLACKPINK, enrollPhotosOf, heldOutPhotosOf, memberName } from '../helpers/fixtures.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const SERVER = 'migrate-test';
const GROUP = 'BLACKPINK';
const DLIB = embedderInfo('dlib').id;
const ARCFACE = embedderInfo('arcface').id;

let tempDir: string;
let dataDir: string;
let enrolledBefore: SampleRecord[];
let legacyId: string;

async function open(embedder: 'dlib' | 'arcface'): Promise<Runtime> {
  const config = loadConfig(testEnvironment({ IDOLENS_EMBEDDER: embedder, IDOLENS_LOG_LEVEL: process.env.IDOLENS_LOG_LEVEL ?? 'warn' }), { dataDir });
  return openRuntime(config, createLogger(config.logLevel));
}

/** The store as an earlier idolens left it: enrolled with dlib, plus one Jennie sample from before crops were kept. */
before(async () => {
  tempDir = await makeTempDir('migrate');
  dataDir = path.join(tempDir, 'data');
  const earlier = await open('dlib');
  try {
    const { context } = earlier;
    await context.store.createGroup(SERVER, GROUP);
    for (const member of BLACKPINK) {
      await enrollPhotos(context, { server: SERVER, group: GROUP, member: memberName(member), inputs: enrollPhotosOf(member, 3), layout: 'flat', addedBy: 'admin-1' });
    }
    const [jennie] = await context.store.getSamples(SERVER, GROUP, 'Jennie');
    assert.ok(jennie?.faceCrop, 'samples enrolled now keep their crop');
    const { faceCrop: _dropped, id: _id, memberKey: _key, ...legacy } = jennie;
    await context.store.addSamples(SERVER, GROUP, 'Jennie', [{ ...legacy, contentHash: 'f'.repeat(64), provenance: { ...legacy.provenance, source: 'old-jennie.jpg' } }]);
    await trainGroup(context, SERVER, GROUP);
    enrolledBefore = await context.store.getSamples(SERVER, GROUP);
    legacyId = enrolledBefore.find((sample) => sample.provenance.source === 'old-jennie.jpg')?.id ?? '';
    assert.ok(enrolledBefore.every((sample) => sample.embedderId === DLIB));
  } finally {
    await earlier.close();
  }
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe('switching the embedder to ArcFace', () => {
  let runtime: Runtime;

  before(async () => {
    runtime = await open('arcface');
  });

  after(async () => {
    await runtime.close();
  });

  it('names the members right on first use: the group is re-embedded from its crops before training', async () => {
    const { context } = runtime;
    for (const member of BLACKPINK) {
      const file = heldOutPhotosOf(member)[0] as string;
      const result = await identifyImage(context, { server: SERVER, group: GROUP, bytes: await readFile(file), source: file, render: false });
      const [face] = [...result.faces].sort((a, b) => b.box.width - a.box.width);
      assert.equal(face?.name, memberName(member), `${file}: ${result.summary}`);
    }
  });

  it('keeps every member, every sample and its provenance; only the descriptors changed', async () => {
    const { context } = runtime;
    const now = await context.store.getSamples(SERVER, GROUP);
    assert.deepEqual(now.map((sample) => sample.id), enrolledBefore.map((sample) => sample.id));
    for (const [index, sample] of now.entries()) {
      const earlier = enrolledBefore[index] as SampleRecord;
      assert.deepEqual(sample.provenance, earlier.provenance);
      assert.equal(sample.memberKey, earlier.memberKey);
      assert.equal(sample.contentHash, earlier.contentHash);
      if (sample.id === legacyId) {
        assert.equal(sample.embedderId, DLIB, 'the sample without a crop keeps its dlib descriptor');
        assert.equal(sample.embedding.length, 128);
      } else {
        assert.equal(sample.embedderId, ARCFACE);
        assert.equal(sample.embedding.length, 512);
      }
    }
    const group = await context.store.requireGroup(SERVER, GROUP);
    assert.deepEqual(group.members.map((member) => member.name), BLACKPINK.map(memberName));
  });

  it('reports the sample without a crop for its member, in training and in the member list', async () => {
    const { context } = runtime;
    const trained = await trainGroup(context, SERVER, GROUP);
    assert.deepEqual(trained.needPhotosAgain, [{ member: 'Jennie', samples: 1 }]);
    assert.equal(trained.model.payload.members.find((member) => member.name === 'Jennie')?.samples, 3, 'left out of the model');
    const overview = await groupOverview(context, SERVER, GROUP);
    assert.deepEqual(overview.members.map((member) => [member.member, member.samples, member.needPhotosAgain]), [['Jennie', 4, 1], ['Jisoo', 3, 0], ['Lisa', 3, 0], ['Rose', 3, 0]]);
  });

  it('idolens migrate says what it did, and exits 1 while a member still needs photos', async () => {
    const run = await runCliWithEnvironment(testEnvironment(), ['--data', dataDir, '--server', SERVER, 'migrate', '--json']);
    assertExit(run, 1);
    const [report] = jsonLines(run, z.object({ group: z.string(), embedder: z.string(), reembedded: z.number(), current: z.number(), needPhotosAgain: z.array(z.object({ member: z.string(), samples: z.number() })) }));
    assert.deepEqual(report, { group: GROUP, embedder: ARCFACE, reembedded: 0, current: 12, needPhotosAgain: [{ member: 'Jennie', samples: 1 }] });
    const text = await runCliWithEnvironment(testEnvironment(), ['--data', dataDir, '--server', SERVER, 'migrate', GROUP]);
    assert.match(text.stdout, /^BLACKPINK: 0 photos re-embedded with arcface-mbf-512\/5pt-similarity, 12 already on it\.\n {2}Jennie: 1 photo from the earlier face model kept no face crop/m);
  });
});
