/** Discord ids: milliseconds since 2015 in the top bits, so an id says when its object was made. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let increment = 0n;

export function snowflakeAt(ms: number): string {
  increment = (increment + 1n) & 0xfffn;
  return ((BigInt(Math.floor(ms)) - DISCORD_EPOCH_MS) << 22n | (1n << 17n) | increment).toString();
}

export function snowflake(): string {
  return snowflakeAt(Date.now());
}
