/** The values a command's options arrive with, as a platform adapter delivers them. */
import type { FilePlatform } from '../core/media-ref/index.ts';

/**
 * A file the user attached (or that the message a context command was run on carries): at a platform URL
 * (Discord's CDN), or kept by the platform under an id that a worker locates when it runs (Telegram).
 */
export type Attachment = {
  name: string;
  size: number;
  contentType?: string | undefined;
} & ({ url: string } | { platformFile: { platform: FilePlatform; fileId: string } });

export type OptionValue = string | number | boolean | Attachment;

/** Option values by name, as the platform delivered them; `subcommand` names the chosen subcommand. */
export type RawOptions = Readonly<Record<string, OptionValue | undefined>>;
