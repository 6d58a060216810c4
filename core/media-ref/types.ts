import type { BlobStore } from './blob-store.ts';

/**
 * Where a job's input comes from; a job carries this, never the bytes. `name` is what the user sees (the
 * attachment's file name), never a URL with a token or query string in it.
 */
export type MediaRef =
  | { kind: 'url'; url: string; name: string; trust: MediaTrust }
  | { kind: 'blob'; key: string; name: string }
  /** A file a chat platform keeps by id (Telegram): located when the job runs, so no URL with a token is stored. */
  | { kind: 'platform-file'; platform: FilePlatform; fileId: string; name: string };

export type FilePlatform = 'telegram';

/**
 * Where a platform's file can be read now: a URL (it may hold a secret: never logged or shown) and the one host it
 * may come from, or a path on this machine (a self-hosted Bot API server in local mode). `trustedOrigin`: the
 * operator's own file server (TELEGRAM_API_ROOT), which may be on a private or loopback address.
 */
export type LocatedFile = { url: string; host: string; trustedOrigin?: string } | { path: string };

export type FileLocator = (fileId: string) => Promise<LocatedFile>;

/**
 * `platform`: a chat platform's attachment URL, fetched only from its media hosts (redirects included).
 * `admin`: a link an admin typed, fetched from any public address.
 */
export type MediaTrust = 'platform' | 'admin';

/** What the bytes must turn out to be; `archive` is a zip. */
export type MediaKind = 'image' | 'video' | 'archive';

export interface FetchRules {
  kind: MediaKind;
  maxBytes: number;
  /** Wall-clock limit for a whole download, redirects included. */
  timeoutMs: number;
  /** Hosts (and their subdomains) that `platform` URLs may come from: config.mediaHosts. */
  platformHosts: readonly string[];
  /** Lets loopback and private LAN addresses through (tests only: config.allowPrivateNetwork). */
  allowPrivateNetwork: boolean;
  blobs: BlobStore;
  /** How this process locates each platform's files (absent: it cannot fetch them). */
  platformFiles: Partial<Record<FilePlatform, FileLocator>>;
}
