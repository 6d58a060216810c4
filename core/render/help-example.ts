import sharp from 'sharp';
import { renderLabelledImage } from './labelled-image.ts';

const WIDTH = 960;
const HEIGHT = 540;

/** Three drawn people (no real face: nothing of anyone's photo ships with idolens), heads at these places. */
const PEOPLE = [
  { x: 250, y: 210, hair: '#2b2118', label: 'Jennie 93%', known: true },
  { x: 480, y: 190, hair: '#d9c38a', label: 'Lisa 88%', known: true },
  { x: 710, y: 215, hair: '#5a3b2a', label: '?', known: false },
] as const;
const HEAD_RADIUS = 62;

function person(x: number, y: number, hair: string): string {
  const r = HEAD_RADIUS;
  return [
    `<ellipse cx="${x}" cy="${y + 3.7 * r}" rx="${1.7 * r}" ry="${2.6 * r}" fill="#3d4a6b"/>`,
    `<rect x="${x - 0.25 * r}" y="${y + 0.9 * r}" width="${0.5 * r}" height="${0.4 * r}" fill="#e8bd98"/>`,
    `<ellipse cx="${x}" cy="${y - 0.15 * r}" rx="${1.18 * r}" ry="${1.3 * r}" fill="${hair}"/>`,
    `<ellipse cx="${x}" cy="${y + 0.1 * r}" rx="${0.88 * r}" ry="${r}" fill="#f1c9a5"/>`,
    `<circle cx="${x - 0.32 * r}" cy="${y}" r="${0.08 * r}" fill="#2b2118"/><circle cx="${x + 0.32 * r}" cy="${y}" r="${0.08 * r}" fill="#2b2118"/>`,
    `<path d="M ${x - 0.25 * r} ${y + 0.45 * r} Q ${x} ${y + 0.62 * r} ${x + 0.25 * r} ${y + 0.45 * r}" stroke="#a0524a" stroke-width="4" fill="none"/>`,
  ].join('');
}

/**
 * What an identify answer looks like, for /help: a drawn stage with three people, labelled by the same code that
 * labels real pictures (two names with their confidence, one "?" for someone not enrolled).
 */
export async function helpExampleImage(): Promise<{ jpeg: Buffer; text: string }> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <defs><linearGradient id="stage" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1d1436"/><stop offset="1" stop-color="#6b3f8f"/></linearGradient></defs>
    <rect width="${WIDTH}" height="${HEIGHT}" fill="url(#stage)"/>${PEOPLE.map((entry) => person(entry.x, entry.y, entry.hair)).join('')}</svg>`;
  const source = await sharp(Buffer.from(svg)).png().toBuffer();
  const side = 2.1 * HEAD_RADIUS;
  const faces = PEOPLE.map((entry) => ({ box: { x: entry.x - side / 2, y: entry.y - side / 2, width: side, height: side * 1.1 }, label: entry.label, known: entry.known }));
  const { jpeg } = await renderLabelledImage({ source, faces });
  return { jpeg, text: 'Example answer (a drawing): 3 faces, left to right: Jennie (93%), Lisa (88%), unknown.' };
}
