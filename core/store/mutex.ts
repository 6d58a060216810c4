import type { Locks } from './locks.ts';

/**
 * Serialises async critical sections per key within this process: each caller waits for the
 * previous holder of the same key. Other processes are NOT excluded: processes that share a
 * store use RedisLocks (redis-locks.ts), which serialises through this first.
 */
export class KeyedMutex implements Locks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => { release = resolve; });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await section();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
