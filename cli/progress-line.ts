/** A progress line on an interactive terminal only (stderr: stdout carries only results). */
export function progressPrinter(): ((progress: { stage: string; percent: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ stage, percent }) => {
    process.stderr.write(`\r${stage} ${String(percent).padStart(3)}%${percent === 100 && stage === 'rendering' ? '\n' : ''}`);
  };
}
