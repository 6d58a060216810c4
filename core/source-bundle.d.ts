/** See source-bundle.js. */
export function bundledEntry(entryUrl: URL, name: string): Promise<{ url: URL } | { error: Error }>;
