import { formatConfidence } from '../format.ts';

interface NamedFace {
  name: string | null;
  confidence: number;
}

/** "3 faces, left to right: Jennie (92%), unknown, Lisa (81%)." — the result as text, for captions and screen readers. */
export function describeFaces(faces: readonly NamedFace[]): string {
  if (faces.length === 0) return 'No faces found.';
  const parts = faces.map((face) => (face.name === null ? 'unknown' : `${face.name} (${formatConfidence(face.confidence)})`));
  if (faces.length === 1) return `1 face: ${parts[0]}.`;
  return `${faces.length} faces, left to right: ${parts.join(', ')}.`;
}
