/** Texts both bots send: a long result fitted to a platform's limit, and the progress line. */

/** Text cut at a line end (or hard) to `limit` characters, with a note saying where the rest is. */
export function fitText(text: string, limit: number, note = '\n… (the whole result is in result.txt)'): { text: string; cut: boolean } {
  if (text.length <= limit) return { text, cut: false };
  const room = limit - note.length;
  const lineEnd = text.lastIndexOf('\n', room);
  return { text: `${text.slice(0, lineEnd > room / 2 ? lineEnd : room)}${note}`, cut: true };
}

export function progressText(stage: string, percent: number): string {
  return `Working on it: ${stage} ${Math.round(percent)}%`;
}
