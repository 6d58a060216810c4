export { isBlobKey } from './blob-key.ts';
export type { BlobStore, PutOptions } from './blob-store.ts';
export { fetchMedia, fetchMediaToFile } from './fetch.ts';
export { FileBlobStore } from './file-blob-store.ts';
export { RedisBlobStore } from './redis-blob-store.ts';
export type { RedisBlobStoreOptions } from './redis-blob-store.ts';
export type { FetchRules, FileLocator, FilePlatform, LocatedFile, MediaKind, MediaRef, MediaTrust } from './types.ts';
export { mediaRefSchema } from './schema.ts';
