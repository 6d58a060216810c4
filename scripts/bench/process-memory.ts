import { readdirSync, readFileSync } from 'node:fs';

/** Resident memory of a process and all its descendants (node, its worker threads, ffmpeg children), in bytes. */
export function treeRss(rootPid: number): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const parent = /^PPid:\s+(\d+)/m.exec(status);
      const resident = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (parent) parents.set(pid, Number(parent[1]));
      if (resident) rss.set(pid, Number(resident[1]) * 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  for (const [pid, bytes] of rss) {
    for (let current: number | undefined = pid; current !== undefined && current > 1; current = parents.get(current)) {
      if (current === rootPid) {
        total += bytes;
        break;
      }
    }
  }
  return total;
}

/** Samples the tree's memory every `intervalMs` until stopped; returns the peak. */
export function sampleTreeRss(rootPid: number, intervalMs = 100): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(rootPid));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
