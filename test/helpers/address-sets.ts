// An independent address-set oracle for tests: CIDRs as sorted, merged intervals of BigInt, with its
// own strict parsers (none of the product's code), so that "the allowlist allows exactly these
// addresses" can be checked whatever ranges the function chose to write.

export interface Interval { family: 4 | 6; start: bigint; end: bigint }

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function ipv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) return undefined;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The addresses a CIDR (or bare address) covers, host bits ignored; undefined when not valid. */
export function cidrInterval(text: string): Interval | undefined {
  const [addr, prefixText, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const family = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? ipv4(addr) : ipv6(addr);
  const bits = family === 4 ? 32 : 128;
  if (value === undefined) return undefined;
  if (prefixText !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const start = (value >> hostBits) << hostBits;
  return { family, start, end: start + (1n << hostBits) - 1n };
}

/** Sorted, merged intervals: two sets are equal exactly when these are. */
export function normalize(intervals: Iterable<Interval>): string[] {
  const sorted = [...intervals].sort((a, b) => a.family - b.family || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === i.family && i.start <= last.end + 1n) {
      if (i.end > last.end) last.end = i.end;
    } else out.push({ ...i });
  }
  return out.map((i) => `v${i.family} ${i.start}-${i.end}`);
}
