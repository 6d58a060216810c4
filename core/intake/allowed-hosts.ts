/**
 * Whether `hostname` is one of `allowedHosts` or a subdomain of one, on a dot boundary: `media.discordapp.net`
 * matches `discordapp.net` (or `*.discordapp.net`), `evildiscordapp.net` does not. Entries are host names
 * without a port; IPv6 literals may keep their brackets.
 */
export function isAllowedHost(hostname: string, allowedHosts: readonly string[]): boolean {
  const host = normalizeHost(hostname);
  if (host === '') return false;
  return allowedHosts.some((entry) => {
    const allowed = normalizeHost(entry.replace(/^\*\./, ''));
    return allowed !== '' && (host === allowed || host.endsWith(`.${allowed}`));
  });
}

/** Lower case, no IPv6 brackets, no trailing dot (`cdn.discordapp.com.` is the same host). */
function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}
