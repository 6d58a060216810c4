/** Locates Telegram files by id (getFile) for the workers: the URL holds the token, so it lives only in memory. */
import path from 'node:path';
import type { Telegram } from 'telegraf';
import { IdolensError } from '../../core/errors.ts';
import type { FileLocator, LocatedFile } from '../../core/media-ref/index.ts';
import { telegramCall, TelegramTransportError } from './transport-error.ts';

export function telegramFileLocator(telegram: Telegram, apiRoot: string, token: string): FileLocator {
  const root = new URL(apiRoot);
  return async (fileId: string): Promise<LocatedFile> => {
    const file = await telegramCall('getFile', () => telegram.getFile(fileId)).catch((error: unknown) => {
      throw refusalOf(error);
    });
    if (file.file_path === undefined) throw new IdolensError('not_found', 'Telegram no longer has this file; send it again.');
    // A self-hosted Bot API server in --local mode answers with a path on its own disk.
    if (path.isAbsolute(file.file_path)) return { path: file.file_path };
    const url = new URL(`${root.pathname.replace(/\/$/, '')}/file/bot${token}/${file.file_path}`, root);
    return { url: url.href, host: root.hostname, trustedOrigin: root.origin };
  };
}

/** What Telegram says about a file it will not hand out is the user's problem to fix, not a reason to retry. */
function refusalOf(error: unknown): unknown {
  if (!(error instanceof TelegramTransportError) || error.status !== 400) return error;
  if (/file is too big/i.test(error.description)) return new IdolensError('too_large', 'Telegram does not let bots download files this large (20 MB at most).');
  return new IdolensError('not_found', 'Telegram no longer has this file; send it again.', { reason: error.description.slice(0, 200) });
}
