/**
 * Runs store operations in a separate process for tests/integration/store-persistence.test.ts.
 * Usage: node --import tsx tests/helpers/store-child.ts <write|read> <dataDir> <server>
 * Prints one JSON line (a StoreSnapshot) on stdout.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { GroupStore } from '../../core/store/group-store.ts';
import { closeKeyv, openKeyv } from '../../core/store/open.ts';
import type { NewSample } from '../../core/store/records.ts';

export const CHILD_GROUP = 'TWICE';
export const CHILD_MEMBERS: Readonly<Record<string, number>> = { Nayeon: 2, '모모': 1 };

/** The same deterministic sample in every process: embedding, thumbnail bytes and hash derive from the seed. */
export function fixtureSample(seed: number): NewSample {
  const embedding = Float32Array.from({ length: 128 }, (_, index) => Math.sin(seed * 7.13 + index) / 3);
  const thumbnailJpeg = Buffer.from(Array.from({ length: 64 }, (_, index) => (seed * 31 + index * 17) % 256));
  return {
    embedding,
    embedderId: 'test-embedder/v1',
    thumbnailJpeg,
    contentHash: createHash('sha256').update(`file-${seed}`).digest('hex'),
    box: { x: seed, y: seed + 1, width: 80, height: 96 },
    detectionScore: 0.9,
    sharpness: 120 + seed,
    flagged: false,
    provenance: { source: `photo-${seed}.jpg`, addedBy: 'tester', addedAt: '2025-01-02T03:04:05.000Z' },
  };
}

export interface StoreSnapshot {
  groups: { name: string; revision: number; members: { name: string; samples: number }[] }[];
  samples: { memberKey: string; embedding: number[]; thumbnail: string; source: string }[];
  model: unknown;
}

export async function writeFixture(store: GroupStore, server: string): Promise<void> {
  await store.createGroup(server, CHILD_GROUP);
  let seed = 1;
  for (const [member, count] of Object.entries(CHILD_MEMBERS)) {
    const samples = Array.from({ length: count }, () => fixtureSample(seed++));
    await store.addSamples(server, CHILD_GROUP, member, samples);
  }
  const group = await store.requireGroup(server, CHILD_GROUP);
  await store.putModel(server, CHILD_GROUP, { groupRevision: group.revision, payload: { kind: 'centroids', written: server } });
}

export async function snapshot(store: GroupStore, server: string): Promise<StoreSnapshot> {
  const groups = await store.listGroups(server);
  const samples = groups.length === 0 ? [] : await store.getSamples(server, CHILD_GROUP);
  const model = groups.length === 0 ? null : await store.getModel(server, CHILD_GROUP);
  return {
    groups: groups.map((group) => ({
      name: group.name,
      revision: group.revision,
      members: group.members.map((member) => ({ name: member.name, samples: member.sampleIds.length })),
    })),
    samples: samples.map((sample) => ({
      memberKey: sample.memberKey,
      embedding: [...sample.embedding],
      thumbnail: sample.thumbnailJpeg.toString('base64'),
      source: sample.provenance.source,
    })),
    model: model ?? null,
  };
}

async function main(action: string | undefined, dataDir: string | undefined, server: string | undefined): Promise<void> {
  if ((action !== 'write' && action !== 'read') || !dataDir || !server) throw new Error('usage: store-child.ts <write|read> <dataDir> <server>');
  const keyv = await openKeyv({ dataDir });
  try {
    const store = new GroupStore(keyv);
    if (action === 'write') await writeFixture(store, server);
    process.stdout.write(`${JSON.stringify(await snapshot(store, server))}\n`);
  } finally {
    await closeKeyv(keyv);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2], process.argv[3], process.argv[4]);
}
