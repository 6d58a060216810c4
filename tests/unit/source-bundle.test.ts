/** The CLI and the inference workers start from a bundle of our sources: built once, rebuilt when a source changes. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledEntry } from '../../core/source-bundle.js';

/** The cache is shared with the real entries: leave only those. */
async function removeCached(cache: string, name: string): Promise<void> {
  for (const file of await readdir(cache)) if (file.startsWith(`${name}-`) || file === `${name}.json`) await rm(path.join(cache, file), { force: true });
}

test("a bundle keeps each module's own location, is reused while its sources stand still and rebuilt when one changes", async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'idolens-bundle-'));
  try {
    const helper = path.join(folder, 'helper.ts');
    const entry = path.join(folder, 'entry.ts');
    await writeFile(helper, "export const helperUrl: string = import.meta.url;\nexport const answer = 41;\n");
    await writeFile(entry, "import { answer, helperUrl } from './helper.ts';\nexport const result = { answer: answer + 1, helperUrl };\n");
    const name = `test-${process.pid}`;
    const first = await bundledEntry(pathToFileURL(entry), name);
    assert.ok('url' in first, 'error' in first ? first.error.message : '');
    const loaded = (await import(first.url.href)) as { result: { answer: number; helperUrl: string } };
    assert.deepEqual(loaded.result, { answer: 42, helperUrl: pathToFileURL(helper).href });

    const again = await bundledEntry(pathToFileURL(entry), name);
    assert.ok('url' in again && again.url.href === first.url.href, 'unchanged sources reuse the bundle');

    await writeFile(helper, "export const helperUrl: string = import.meta.url;\nexport const answer = 99;\n");
    const changed = await bundledEntry(pathToFileURL(entry), name);
    assert.ok('url' in changed && changed.url.href !== first.url.href, 'an edited source gives a new bundle');
    const reloaded = (await import(changed.url.href)) as { result: { answer: number } };
    assert.equal(reloaded.result.answer, 100);
    await removeCached(path.dirname(fileURLToPath(changed.url)), name);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('an entry that does not compile gives an error to fall back on, not a broken bundle', async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'idolens-bundle-'));
  try {
    const entry = path.join(folder, 'broken.ts');
    await writeFile(entry, 'export const = ;\n');
    const result = await bundledEntry(pathToFileURL(entry), `broken-${process.pid}`);
    assert.ok('error' in result);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
