export interface PutOptions {
  /** Whole seconds the blob lives; without it, until deleted. */
  ttlSeconds?: number;
}

/** Bytes kept between the request that received them and the job that uses them, under a random key. */
export interface BlobStore {
  /** Stores the bytes under a new random key and returns the key. */
  put(bytes: Uint8Array, options?: PutOptions): Promise<string>;
  putFile(path: string, options?: PutOptions): Promise<string>;
  /** `undefined` when the blob is absent or expired. Throws IdolensError('not_found') for a key that is not ours. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Writes the blob to `path` (complete or not at all); false when it is absent or expired. */
  writeToFile(key: string, path: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
