import { BlockList, isIP } from 'node:net';

/** Ranges a download must never reach: this machine, private networks, cloud metadata, multicast, reserved. */
const NON_PUBLIC = new BlockList();
const IPV4_RANGES: [string, number][] = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const IPV6_RANGES: [string, number][] = [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds any IPv4 address
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
];
for (const [network, prefix] of IPV4_RANGES) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of IPV6_RANGES) NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** IPv4-mapped (`::ffff:a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`) addresses reach the IPv4 address inside. */
const EMBEDDED_IPV4 = /^(?:::ffff:|64:ff9b::)(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,4})$/;

/** Link-local ranges hold cloud metadata services (169.254.169.254, fd00:ec2::254): never reachable, whatever the settings. */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');

export type AddressKind = 'public' | 'private' | 'link_local' | 'invalid';

/** What a literal IP address reaches; IPv4-mapped and NAT64 IPv6 addresses count as the IPv4 address inside. */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'invalid';
  const embedded = family === 6 ? embeddedIpv4(bare) : undefined;
  const [checked, type] = embedded === undefined ? [bare, family === 4 ? 'ipv4' : 'ipv6'] as const : [embedded, 'ipv4'] as const;
  if (LINK_LOCAL.check(checked, type)) return 'link_local';
  return NON_PUBLIC.check(checked, type) ? 'private' : 'public';
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function embeddedIpv4(ipv6: string): string | undefined {
  const canonical = new URL(`http://[${ipv6}]/`).hostname.slice(1, -1);
  const match = EMBEDDED_IPV4.exec(canonical);
  if (match === null) return undefined;
  const high = Number.parseInt(match[1] ?? '0', 16);
  const low = Number.parseInt(match[2] ?? '0', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
