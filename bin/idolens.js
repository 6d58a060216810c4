#!/usr/bin/env node
// The CLI runs from TypeScript sources: bundled into one plain-JS module when possible (much faster to start),
// else through the tsx loader.
import { bundledEntry } from '../core/source-bundle.js';

const source = new URL('../cli/main.ts', import.meta.url);
const bundle = await bundledEntry(source, 'cli');
let cli;
if ('url' in bundle) {
  cli = await import(bundle.url.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
}
process.exitCode = await cli.main(process.argv.slice(2));
