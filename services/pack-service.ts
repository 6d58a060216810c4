/** Group packs: a group exported as one zip (face crops, descriptors, provenance) and imported as a new group. */
import type { CoreContext } from '../core/context.ts';
import { formatSize, plural } from '../core/format.ts';
import { exportPack, importPack, type PackExport, type PackImportReport, type PackImportRequest } from '../core/pack/index.ts';

export type { PackExport, PackImportReport } from '../core/pack/index.ts';

export interface ExportPackRequest {
  server: string;
  group: string;
  sourceName?: string;
}

export async function exportGroupPack(core: CoreContext, request: ExportPackRequest): Promise<PackExport> {
  return exportPack(core, request);
}

/** An import as the job and the CLI ask for it (the caps are always the defaults). */
export type ImportPackRequest = Omit<PackImportRequest, 'limits'>;

export async function importGroupPack(core: CoreContext, request: ImportPackRequest): Promise<PackImportReport> {
  return importPack(core, request);
}

/** The file name a group's pack is offered under: `BLACKPINK.idolens-pack.zip`. */
export function packFileName(group: string): string {
  return `${group.replace(/[^\p{L}\p{N}._-]+/gu, '_')}.idolens-pack.zip`;
}

/** "BLACKPINK: 4 members, 12 photos in the pack (23.1 KiB); 1 photo without a face crop left out." */
export function exportSummary(pack: PackExport): string {
  const leftOut = pack.leftOut === 0 ? '' : ` ${plural(pack.leftOut, 'photo')} without a face crop ${pack.leftOut === 1 ? 'was' : 'were'} left out.`;
  return `${pack.group}: ${plural(pack.members, 'member')}, ${plural(pack.samples, 'photo')} in the pack (${formatSize(pack.bytes.length)}); no full photos, only face crops.${leftOut}`;
}

export function importSummary(report: PackImportReport): string {
  const members = report.members.map((member) => `${member.member} ${member.samples}`).join(', ');
  const how = report.reembedded
    ? `The pack was made with another face model (${report.packEmbedder}): every face was described again with ${report.embedder}.`
    : 'Every face picture was checked against its descriptor.';
  const leftOut = report.leftOutAtExport === 0 ? '' : ` The exporting server left out ${plural(report.leftOutAtExport, 'photo')} that kept no face crop.`;
  return `Imported ${report.group}: ${plural(report.members.length, 'member')}, ${plural(report.samples, 'photo')} (${members}). ${how}${leftOut}`;
}
