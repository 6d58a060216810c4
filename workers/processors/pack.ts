import { PACK_LIMITS } from '../../core/pack/index.ts';
import { fetchMedia } from '../../core/media-ref/index.ts';
import { importGroupPack, importSummary } from '../../services/pack-service.ts';
import type { JobAnswer } from '../results.ts';
import { phrasingFor } from './phrasing.ts';
import type { Processor } from './processor.ts';

/** A group pack sent to a bot becomes a new group on that server (whole, or refused whole). */
export const packProcessor = {
  name: 'pack',
  async run(payload, context): Promise<JobAnswer<'pack'>> {
    const { request, file } = payload;
    const bytes = await fetchMedia(file, {
      kind: 'archive',
      maxBytes: PACK_LIMITS.maxPackBytes,
      timeoutMs: context.core.intakeLimits.downloadTimeoutMs,
      platformHosts: context.mediaHosts,
      allowPrivateNetwork: context.core.allowPrivateNetwork,
      blobs: context.blobs,
      platformFiles: context.platformFiles,
    });
    const phrasing = phrasingFor(request.target);
    const data = await importGroupPack(context.core, {
      server: request.server,
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      fileName: file.name,
      by: request.by,
      request: request.id,
      ...(payload.as === undefined ? {} : { as: payload.as }),
      renameHint: () => `import it under another name: ${phrasing.command('pack', 'import')} with "as" and a new name.`,
      onProgress: ({ done, total }) => context.progress({ stage: 'checking the faces', percent: (100 * done) / total }),
    });
    await context.scheduleTraining(request.server, data.group);
    return { job: 'pack', text: importSummary(data), data, files: [], someInputBad: false };
  },
} satisfies Processor<'pack'>;
