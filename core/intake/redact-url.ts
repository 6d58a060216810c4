/** A Telegram bot token in a file URL's path (`/file/bot123456:ABC-def/photos/x.jpg`). */
const BOT_TOKEN_IN_PATH = /\/bot\d+:[\w-]+/g;

/** The URL without credentials, query string, fragment or bot token: safe for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(BOT_TOKEN_IN_PATH, '/bot<token>');
  } catch {
    const withoutQuery = url.split(/[?#]/, 1)[0] ?? '';
    return withoutQuery.replace(/\/\/[^/]*@/, '//').replace(BOT_TOKEN_IN_PATH, '/bot<token>');
  }
}
