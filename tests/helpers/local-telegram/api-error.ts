/** Bot API failures: `{ ok: false, error_code, description, parameters? }`, answered with HTTP status = error_code. */

export class BotApiError extends Error {
  constructor(readonly code: number, readonly description: string, readonly parameters?: { retry_after?: number }) {
    super(description);
  }

  get body(): Record<string, unknown> {
    return { ok: false, error_code: this.code, description: this.description, ...(this.parameters === undefined ? {} : { parameters: this.parameters }) };
  }
}

export const badRequest = (what: string): BotApiError => new BotApiError(400, `Bad Request: ${what}`);

export const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

export const tooManyRequests = (retryAfter: number): BotApiError =>
  new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
