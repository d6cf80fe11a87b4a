/**
 * How a client's network address is counted, by the API's rate limit
 * (src/api/plugins/rate-limit.ts) and by the sign-in throttle (./admin-sessions/throttle.ts).
 */

/**
 * The key a client is counted under: its IPv4 address, or its IPv6 /64, since one IPv6 host
 * usually holds a whole /64 and could otherwise take a fresh address per request.
 */
export function clientKey(ip: string): string {
  const address = ip.split('%')[0] ?? ip;
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
