/**
 * Why an optional package is not used, worded as the choice it is: absent (not installed, which is normal where
 * its install could not download its binary) or present but failing to load.
 */
export function optionalPackageNote(name: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') return `optional ${name} is not installed`;
  return `optional ${name} is installed but does not load here (${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''})`;
}
