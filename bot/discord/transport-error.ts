import { DiscordAPIError, HTTPError } from 'discord.js';

/**
 * A failed Discord REST call, kept apart from domain errors: the method, the route with any interaction token
 * cut out, Discord's error code and status. Its message never carries a token, so it is safe to log.
 */
export class DiscordTransportError extends Error {
  override readonly name = 'DiscordTransportError';

  constructor(
    readonly method: string,
    readonly route: string,
    readonly status: number | undefined,
    readonly discordCode: number | undefined,
    detail: string,
  ) {
    super(`Discord ${method} ${route} failed${status === undefined ? '' : ` (${status}${discordCode === undefined ? '' : `, code ${discordCode}`})`}: ${detail}`);
  }
}

const TOKEN_IN_PATH = /(\/(?:webhooks|interactions)\/\d+\/)[^/?]+/g;

export function redactRoute(route: string): string {
  return route.replace(TOKEN_IN_PATH, '$1[token]');
}

/** Runs one REST call and turns its failure into a DiscordTransportError. */
export async function discordCall<T>(method: string, route: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asTransportError(method, route, error);
  }
}

function asTransportError(method: string, route: string, error: unknown): DiscordTransportError {
  const shown = redactRoute(route);
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : undefined;
    return new DiscordTransportError(method, shown, error.status, code, redactRoute(error.message));
  }
  if (error instanceof HTTPError) return new DiscordTransportError(method, shown, error.status, undefined, error.message);
  const detail = error instanceof Error ? error.message : String(error);
  return new DiscordTransportError(method, shown, undefined, undefined, redactRoute(detail));
}
