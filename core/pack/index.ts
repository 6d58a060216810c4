export { exportPack, type PackExport, type PackExportRequest } from './export.ts';
export { importPack, type PackImportReport, type PackImportRequest } from './import.ts';
export { PACK_LIMITS, type PackLimits } from './limits.ts';
export { PACK_MATCH_MIN_COSINE, type PackProgress } from './describe.ts';
export { MANIFEST_NAME, PACK_FORMAT, PACK_VERSION, manifestSchema, type PackManifest } from './manifest.ts';
