import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { IdolensError } from '../../errors.ts';

export interface ToolRun {
  /** The argument list; never built from user text (inputs are our own temp paths). */
  args: readonly string[];
  timeoutMs: number;
  /** Receives stdout as it arrives (for frame pipes); when absent stdout is collected and returned. */
  onStdout?: (stdout: Readable) => Promise<void>;
  /** Called with each complete stderr line (progress, showinfo). */
  onStderrLine?: (line: string) => void;
  signal?: AbortSignal;
  /** Extra environment variables for this binary (see ToolBinary.env). */
  env?: Readonly<Record<string, string>>;
}

export interface ToolResult {
  exitCode: number;
  stdout: Buffer;
  /** The last lines of stderr, for error messages and logs. */
  stderrTail: string;
}

const STDERR_TAIL_LINES = 30;

/** The last non-blank lines of a stderr tail on one line, cut to `maxLength`: for error details and logs. */
export function stderrExcerpt(stderrTail: string, lines: number, maxLength: number): string {
  return stderrTail.split('\n').filter((line) => line.trim() !== '').slice(-lines).join(' | ').slice(0, maxLength);
}

/** Runs ffmpeg or ffprobe with a wall-clock limit; the process is killed when it runs over or is aborted. */
export function runTool(binary: string, run: ToolRun): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, run.args, { stdio: ['ignore', 'pipe', 'pipe'], ...(run.env ? { env: { ...process.env, ...run.env } } : {}) });
    const stdoutChunks: Buffer[] = [];
    const tail: string[] = [];
    let pendingLine = '';
    let timedOut = false;
    let consumer: Promise<void> = Promise.resolve();
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, run.timeoutMs);
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });

    if (run.onStdout) consumer = run.onStdout(child.stdout).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    else child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (pendingLine + chunk).split(/\r?\n|\r/);
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        run.onStderrLine?.(line);
        tail.push(line);
        if (tail.length > STDERR_TAIL_LINES) tail.shift();
      }
    });

    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (pendingLine !== '') {
        run.onStderrLine?.(pendingLine);
        tail.push(pendingLine);
      }
      consumer.then(() => {
        if (timedOut) throw new IdolensError('video_timeout', undefined, { seconds: Math.round(run.timeoutMs / 1000) });
        if (run.signal?.aborted) throw run.signal.reason instanceof Error ? run.signal.reason : new Error('aborted');
        resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: Buffer.concat(stdoutChunks), stderrTail: tail.join('\n') });
      }).catch(reject);
    });
  });
}
