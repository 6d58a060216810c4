/**
 * Long batches at a terminal: a progress bar on stderr (count, rate, time left) and each picture's line as soon
 * as it is done; `--json` and piped output get the results only. script(1) gives the CLI a terminal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { blackpinkPhoto } from '../helpers/fixtures.ts';
import { assertExit, CLI, runCli } from '../helpers/cli.ts';
import { repoRoot } from '../helpers/faces-dir.ts';
import { makeTempDir, testEnvironment } from '../helpers/runtime.ts';

const GROUP = 'BLACKPINK';
let tempDir: string;
let dataDir: string;
let pictures: string;

before(async () => {
  tempDir = await makeTempDir('cli-progress');
  dataDir = path.join(tempDir, 'data');
  assertExit(await runCli(dataDir, 'p', 'group', 'create', GROUP), 0);
  for (const member of ['jennie', 'lisa'] as const) {
    assertExit(await runCli(dataDir, 'p', 'enroll', GROUP, member, ...[0, 1, 2].map((index) => blackpinkPhoto(member, index))), 0);
  }
  pictures = path.join(tempDir, 'pictures');
  await mkdir(pictures);
  for (const [index, photo] of [blackpinkPhoto('jennie', 5), blackpinkPhoto('lisa', 5), blackpinkPhoto('jennie', 6), blackpinkPhoto('lisa', 6)].entries()) {
    await symlink(photo, path.join(pictures, `${index + 1}.jpg`));
  }
});

after(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

/** The CLI at a terminal: everything it wrote there (stdout and stderr share the terminal). */
async function atTerminal(...args: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, '--data', dataDir, '--server', 'p', ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repoRoot, env: testEnvironment() });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

test('at a terminal, identify on a folder shows a progress bar with count, rate and time left, and each line before the batch ends', async () => {
  const run = await atTerminal('identify', GROUP, pictures);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /\d\/4 pictures · \d+\.\d\/s · \S+ left/);
  const firstLine = run.output.indexOf(`${path.join(pictures, '1.jpg')}: `);
  const lastCount = run.output.lastIndexOf('3/4 pictures');
  assert.ok(firstLine >= 0 && lastCount > firstLine, 'the first picture\'s line comes before the bar reaches 3 of 4');
  for (const index of [1, 2, 3, 4]) assert.ok(run.output.includes(`${path.join(pictures, `${index}.jpg`)}: `), `line for ${index}.jpg`);
});

test('at a terminal, enroll shows the bar while photos are analysed; --json there and piped output carry no bar', async () => {
  const enrolled = await atTerminal('enroll', GROUP, 'rose', ...[0, 1, 2].map((index) => blackpinkPhoto('rose', index)));
  assert.equal(enrolled.code, 0, enrolled.output);
  assert.match(enrolled.output, /\d\/3 photos · \d+\.\d\/s/);
  const json = await atTerminal('identify', GROUP, pictures, '--json');
  assert.equal(json.code, 0, json.output);
  assert.doesNotMatch(json.output, /pictures · /);
  const lines = json.output.split(/\r?\n/).filter((line) => line.trim() !== '');
  assert.equal(lines.length, 4);
  for (const line of lines) assert.ok(JSON.parse(line), line);
  const piped = await runCli(dataDir, 'p', 'identify', GROUP, pictures);
  assertExit(piped, 0);
  assert.doesNotMatch(piped.stderr + piped.stdout, /pictures · |░/);
  assert.equal(piped.stdout.trim().split('\n').length, 4);
});
