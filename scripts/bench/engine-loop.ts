/**
 * Child process of the queue bench: identify calls made directly on the engine (no queue, no Redis round trips
 * per job) against the bench's Redis store, so that 1 vs 2 such processes shows what the machine itself allows.
 * argv: server group jobs picture…; prints ENGINE_LOOP_READY on stderr after a warm-up, starts timing on a line on stdin,
 * prints the seconds on stdout.
 */
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { loadConfig } from '../../core/config.ts';
import { identifyImage } from '../../core/identify/identify.ts';
import { createLogger } from '../../core/logger.ts';
import { openRuntime } from '../../core/runtime.ts';
import { ENGINE_LOOP_READY } from './queue-throughput.ts';

const [server = '', group = '', jobsText = '0', ...files] = process.argv.slice(2);
const jobs = Number(jobsText);
const config = loadConfig(process.env);
const runtime = await openRuntime(config, createLogger(config.logLevel));
try {
  const pictures = await Promise.all(files.map((file) => readFile(file)));
  const identify = (index: number) => identifyImage(runtime.context, {
    server, group, bytes: pictures[index % pictures.length] ?? Buffer.alloc(0), source: 'bench', render: true, detector: 'accurate',
  });
  for (let index = 0; index < 4; index += 1) await identify(index);
  process.stderr.write(`${ENGINE_LOOP_READY}\n`);
  await once(process.stdin, 'data');
  process.stdin.destroy();
  const started = performance.now();
  for (let index = 0; index < jobs; index += 1) await identify(index);
  process.stdout.write(`${(performance.now() - started) / 1000}\n`);
} finally {
  await runtime.close();
}
