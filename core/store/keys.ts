/**
 * Key layout inside the `idolens` keyv namespace. Every part is URI-encoded, so a `:` inside a
 * server id or a name can never be confused with a separator.
 */
const part = encodeURIComponent;

export function groupIndexKey(server: string): string {
  return `groups:${part(server)}`;
}

export function groupRecordKey(server: string, groupKey: string): string {
  return `group:${part(server)}:${part(groupKey)}`;
}

export function sampleRecordKey(server: string, groupKey: string, sampleId: string): string {
  return `sample:${part(server)}:${part(groupKey)}:${part(sampleId)}`;
}

export function modelRecordKey(server: string, groupKey: string): string {
  return `model:${part(server)}:${part(groupKey)}`;
}

export function serverSettingsKey(server: string): string {
  return `settings:${part(server)}`;
}

export function deletionReceiptKey(server: string, request: string): string {
  return `deleted:${part(server)}:${part(request)}`;
}

export function feedbackRecordKey(server: string, groupKey: string): string {
  return `feedback:${part(server)}:${part(groupKey)}`;
}
