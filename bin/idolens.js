#!/usr/bin/env node
// The CLI runs from TypeScript sources: register the loader, then hand over to cli/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
