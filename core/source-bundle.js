// Plain JavaScript on purpose: the CLI launcher uses it before any TypeScript loader is registered.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** Beside the packages a bundle imports (they stay outside it), so that Node resolves them from there too. */
function cacheFolder() {
  const esbuildManifest = require.resolve('esbuild/package.json');
  const marker = `${path.sep}node_modules${path.sep}`;
  return path.join(esbuildManifest.slice(0, esbuildManifest.lastIndexOf(marker) + marker.length), '.cache', 'idolens');
}

async function writeAtomically(file, contents) {
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, contents);
  await rename(partial, file);
}

/** The bundle a previous build left, if none of the sources it was built from changed since (size and mtime). */
async function reusable(folder, manifestFile) {
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8').catch(() => 'null'));
  if (!manifest || manifest.node !== process.version || typeof manifest.bundle !== 'string') return null;
  const checks = Object.entries(manifest.inputs).map(async ([file, [size, mtimeMs]]) => {
    const current = await stat(file);
    return current.size === size && current.mtimeMs === mtimeMs;
  });
  const results = await Promise.all([stat(path.join(folder, manifest.bundle)).then(() => true), ...checks]).catch(() => [false]);
  return results.every(Boolean) ? pathToFileURL(path.join(folder, manifest.bundle)) : null;
}

/** Each module keeps its own import.meta.url, so that paths relative to a source file still point beside it. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/** Writes the files of one build into their own folder, complete or not at all (a concurrent build may win). */
async function writeFolderAtomically(target, files) {
  const partial = `${target}.${process.pid}.partial`;
  await rm(partial, { recursive: true, force: true });
  for (const file of files) {
    await mkdir(path.dirname(path.join(partial, file.name)), { recursive: true });
    await writeFile(path.join(partial, file.name), file.contents);
  }
  try {
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (!(await stat(target).then(() => true, () => false))) throw error;
  }
}

async function build(entry, folder, name, manifestFile) {
  const esbuild = await import('esbuild');
  const outdir = path.join(folder, 'build');
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, splitting: true, outdir, entryNames: '[name]', chunkNames: 'chunk-[hash]', outExtension: { '.js': '.mjs' },
    platform: 'node', format: 'esm', target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external', write: false, metafile: true, logLevel: 'silent', plugins: [keepModuleUrls],
  });
  const files = result.outputFiles.map((file) => ({ name: path.relative(outdir, file.path), contents: file.contents }));
  const digest = createHash('sha256');
  for (const file of files) digest.update(file.name).update(file.contents);
  const set = `${name}-${digest.digest('hex').slice(0, 16)}`;
  const entryFile = `${path.basename(entry).replace(/\.[cm]?[jt]s$/, '')}.mjs`;
  const root = process.cwd();
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(root, input);
    const info = await stat(file);
    inputs[file] = [info.size, info.mtimeMs];
  }
  await mkdir(folder, { recursive: true });
  await stat(path.join(folder, set)).catch(() => writeFolderAtomically(path.join(folder, set), files));
  const bundle = path.join(set, entryFile);
  await writeAtomically(manifestFile, JSON.stringify({ node: process.version, bundle, inputs }));
  return pathToFileURL(path.join(folder, bundle));
}

/**
 * One of our TypeScript entry points as plain-JavaScript modules (our sources inlined, packages left as imports;
 * what is imported with import() goes into chunks of its own, loaded when first used), built with esbuild and kept under node_modules/.cache/idolens until a source changes. A process that
 * starts often (the CLI, each inference worker) then loads in a fraction of the time it takes through tsx, which
 * compiles every file through a loader thread of its own. Resolves to { url } or, when that is not possible
 * (esbuild missing, read-only install), to { error } so the caller can load the TypeScript instead.
 */
export async function bundledEntry(entryUrl, name) {
  try {
    const folder = cacheFolder();
    // Keyed by the entry's path too: checkouts that share one node_modules (linked, or installed above them) must
    // not run each other's bundles.
    const checkout = createHash('sha256').update(fileURLToPath(entryUrl)).digest('hex').slice(0, 8);
    const manifestFile = path.join(folder, `${name}-${checkout}.json`);
    const reused = await reusable(folder, manifestFile);
    return { url: reused ?? (await build(fileURLToPath(entryUrl), folder, name, manifestFile)) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}
