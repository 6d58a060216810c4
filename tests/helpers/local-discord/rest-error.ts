/** An error as Discord's REST API answers it: HTTP status, Discord's JSON error code, message. */
export class DiscordError extends Error {
  constructor(readonly status: number, readonly code: number, message: string) {
    super(message);
  }
}
