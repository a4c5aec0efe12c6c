// CIDR parsing, normalization and aggregation: tables for the edge cases, and fast-check properties
// against an independent oracle that expands ranges into address sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addressCount, aggregate, compareCidr, formatCidr, isBroad, parseCidr, type Cidr } from '../../fn/core/cidr';

// ---------------------------------------------------------------- parsing

type Accepted = [input: string, normalized: string, flags?: { hostBitsCleared?: boolean; mapped?: boolean }];
const accepted: Accepted[] = [
  // bare addresses are single hosts
  ['198.51.100.7', '198.51.100.7/32'],
  ['2001:db8::1', '2001:db8::1/128'],
  ['::1', '::1/128'],
  ['::', '::/128'],
  // explicit host and whole-space prefixes
  ['1.2.3.4/32', '1.2.3.4/32'],
  ['::1/128', '::1/128'],
  ['0.0.0.0/0', '0.0.0.0/0'],
  ['::/0', '::/0'],
  ['255.255.255.255/32', '255.255.255.255/32'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'],
  // host bits are cleared, and said so
  ['10.0.0.1/24', '10.0.0.0/24', { hostBitsCleared: true }],
  ['203.0.113.255/25', '203.0.113.128/25', { hostBitsCleared: true }],
  ['1.2.3.4/0', '0.0.0.0/0', { hostBitsCleared: true }],
  ['2001:db8::1/64', '2001:db8::/64', { hostBitsCleared: true }],
  ['2001:db8:ffff::/33', '2001:db8:8000::/33', { hostBitsCleared: true }],
  ['10.0.0.0/24', '10.0.0.0/24', { hostBitsCleared: false }],
  // IPv4-mapped IPv6 (::ffff:0:0/96) becomes IPv4
  ['::ffff:1.2.3.4', '1.2.3.4/32', { mapped: true }],
  ['::ffff:1.2.3.4/128', '1.2.3.4/32', { mapped: true }],
  ['::ffff:102:304', '1.2.3.4/32', { mapped: true }],
  ['::FFFF:10.0.0.1/120', '10.0.0.0/24', { mapped: true, hostBitsCleared: true }],
  ['::ffff:0:0/96', '0.0.0.0/0', { mapped: true }],
  // ... but a prefix shorter than /96 is an IPv6 network that is not entirely IPv4-mapped
  ['::ffff:0:0/95', '::fffe:0:0/95', { mapped: false, hostBitsCleared: true }],
  ['::ffff:1.2.3.4/64', '::/64', { mapped: false, hostBitsCleared: true }],
  // IPv6 spellings: compressed, uncompressed, leading zeros in groups, uppercase, embedded IPv4
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128'],
  ['2001:DB8::/32', '2001:db8::/32'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128'],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221/128'],
  // "::a.b.c.d" is the (deprecated) IPv4-compatible form, RFC 4291 2.5.5.1: the IPv6 address ::102:304,
  // not the IPv4-mapped ::ffff:1.2.3.4 and not IPv4 1.2.3.4 (compare "::0:1.2.3.4", the same address).
  ['::1.2.3.4', '::102:304/128', { mapped: false }],
  ['::0:1.2.3.4', '::102:304/128', { mapped: false }],
  ['::1.2.3.0/120', '::102:300/120', { mapped: false }],
  // Surrounding whitespace is trimmed (decided by the code: YAML block scalars and copy-paste leave it;
  // inner whitespace is still an error, below).
  [' 1.2.3.4 ', '1.2.3.4/32'],
  ['2001:db8::/32\n', '2001:db8::/32'],
];

for (const [input, normalized, flags] of accepted) {
  test(`parseCidr accepts ${JSON.stringify(input)} as ${normalized}`, () => {
    const r = parseCidr(input);
    assert.ok(r.ok, `rejected: ${!r.ok ? r.reason : ''}`);
    assert.equal(formatCidr(r.cidr), normalized);
    assert.equal(r.hostBitsCleared, flags?.hostBitsCleared ?? false, 'hostBitsCleared');
    assert.equal(r.mapped, flags?.mapped ?? false, 'mapped');
    // the normalized text parses back to itself, with nothing to report
    const again = parseCidr(normalized);
    assert.ok(again.ok);
    assert.deepEqual(again.cidr, r.cidr);
    assert.equal(again.hostBitsCleared, false);
  });
}

const rejected: Array<[input: string, reason: RegExp]> = [
  ['010.0.0.1', /not a valid IPv4/], // octal in inet_aton: must not silently become 8.0.0.1
  ['10.1', /not a valid IPv4/], // inet_aton short form 10.0.0.1
  ['10.0.1', /not a valid IPv4/],
  ['1.2.3.256', /not a valid IPv4/],
  ['0x1.2.3.4', /not a valid IPv4/],
  ['1.2.3.4/33', /prefix length above 32/],
  ['::1/129', /prefix length above 128/],
  ['1.2.3.4/', /invalid prefix length/],
  ['1.2.3.4/01', /invalid prefix length/],
  ['1.2.3.4/-1', /invalid prefix length/],
  ['1.2.3.4/ 24', /invalid prefix length/],
  ['1.2.3.4/24/1', /invalid prefix length/],
  ['2001:db8::/048', /invalid prefix length/],
  ['1.2.3.4 /24', /not a valid IPv4/],
  ['fe80::1%eth0', /not a valid IPv6/], // zone index
  ['1:2:3:4:5:6:7:8:9', /not a valid IPv6/],
  ['2001:db8:::1', /not a valid IPv6/],
  ['1::2::3', /not a valid IPv6/],
  ['::ffff:01.2.3.4', /not a valid IPv6/], // the dotted tail is strict too
  ['::ffff:1.2.3', /not a valid IPv6/],
  ['', /is empty/],
  ['   ', /is empty/],
  ['abc', /not a valid IPv4/],
  ['*', /not a valid IPv4/],
  ['０.0.0.0', /not a valid IPv4/], // fullwidth digit
];

for (const [input, reason] of rejected) {
  test(`parseCidr rejects ${JSON.stringify(input)}`, () => {
    const r = parseCidr(input);
    assert.equal(r.ok, false, `accepted as ${r.ok ? formatCidr(r.cidr) : ''}`);
    if (!r.ok) assert.match(r.reason, reason);
  });
}

test('isBroad: shorter than /8 (IPv4) or /32 (IPv6)', () => {
  const broad = (t: string) => {
    const r = parseCidr(t);
    assert.ok(r.ok);
    return isBroad(r.cidr);
  };
  assert.deepEqual(
    ['0.0.0.0/0', '10.0.0.0/7', '10.0.0.0/8', '::/0', '2000::/31', '2001:db8::/32', '::ffff:0:0/96', '::ffff:10.0.0.0/104'].map(broad),
    [true, true, false, true, true, false, true, false],
  );
  assert.equal(addressCount({ family: 4, start: 0, prefix: 0 }), 2n ** 32n);
  assert.equal(addressCount({ family: 6, start: 0n, prefix: 0 }), 2n ** 128n);
});

// ---------------------------------------------------------------- aggregation, tables

const agg = (list: string[]): string[] =>
  aggregate(
    list.map((t) => {
      const r = parseCidr(t);
      if (!r.ok) throw new Error(`bad fixture ${t}`);
      return r.cidr;
    }),
  ).map(formatCidr);

const aggregations: Array<[name: string, input: string[], output: string[]]> = [
  ['empty', [], []],
  ['single', ['10.0.0.0/24'], ['10.0.0.0/24']],
  ['adjacent siblings merge', ['10.0.0.0/25', '10.0.0.128/25'], ['10.0.0.0/24']],
  ['adjacent siblings merge in any order', ['10.0.0.128/25', '10.0.0.0/25'], ['10.0.0.0/24']],
  ['adjacent but not siblings stay apart', ['10.0.0.128/25', '10.0.1.0/25'], ['10.0.0.128/25', '10.0.1.0/25']],
  ['same size, not adjacent', ['10.0.0.0/25', '10.0.1.0/25'], ['10.0.0.0/25', '10.0.1.0/25']],
  ['different sizes, adjacent', ['10.0.0.0/24', '10.0.1.0/25'], ['10.0.0.0/24', '10.0.1.0/25']],
  ['contained dropped', ['10.0.0.0/8', '10.1.2.0/24', '10.255.255.255'], ['10.0.0.0/8']],
  ['contained listed first', ['10.1.2.3/32', '10.1.2.0/24'], ['10.1.2.0/24']],
  ['duplicates', ['1.2.3.4', '1.2.3.4/32', '::ffff:1.2.3.4', '1.2.3.4'], ['1.2.3.4/32']],
  ['chained merges: four /26 make a /24', ['10.0.0.192/26', '10.0.0.0/26', '10.0.0.128/26', '10.0.0.64/26'], ['10.0.0.0/24']],
  ['chained merges across sizes', ['10.0.0.0/25', '10.0.0.128/26', '10.0.0.192/27', '10.0.0.224/27'], ['10.0.0.0/24']],
  ['256 hosts make a /24', Array.from({ length: 256 }, (_, i) => `192.0.2.${255 - i}`), ['192.0.2.0/24']],
  ['255 hosts make eight blocks', Array.from({ length: 255 }, (_, i) => `192.0.2.${i}`),
    ['192.0.2.0/25', '192.0.2.128/26', '192.0.2.192/27', '192.0.2.224/28', '192.0.2.240/29', '192.0.2.248/30', '192.0.2.252/31', '192.0.2.254/32']],
  ['merge up to the whole space', ['0.0.0.0/1', '128.0.0.0/1'], ['0.0.0.0/0']],
  ['/0 swallows everything', ['1.2.3.4', '0.0.0.0/0', '255.255.255.255'], ['0.0.0.0/0']],
  ['top of the space', ['255.255.255.254', '255.255.255.255'], ['255.255.255.254/31']],
  ['numeric, not lexicographic, order', ['10.0.0.0/8', '9.0.0.0/8', '2.0.0.0/8', '100.64.0.0/10'], ['2.0.0.0/8', '9.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10']],
  ['IPv4 before IPv6', ['2001:db8::/32', '::1', '203.0.113.0/24', '::ffff:198.51.100.7'], ['198.51.100.7/32', '203.0.113.0/24', '::1/128', '2001:db8::/32']],
  ['IPv6 siblings merge', ['2001:db8::/33', '2001:db8:8000::/33'], ['2001:db8::/32']],
  ['IPv6 adjacent non-siblings stay', ['2001:db8:8000::/33', '2001:db9::/33'], ['2001:db8:8000::/33', '2001:db9::/33']],
  ['IPv6 containment and duplicates', ['2001:db8::/32', '2001:DB8:1::1', '2001:0db8::/32', '2001:db8:ffff::/48'], ['2001:db8::/32']],
  ['IPv6 numeric order', ['2001:db8:a::/48', '2001:db8:9::/48', 'fe80::/10', '::/128'], ['::/128', '2001:db8:9::/48', '2001:db8:a::/48', 'fe80::/10']],
  ['IPv6 whole space', ['::/1', '8000::/1'], ['::/0']],
  ['IPv6 top of the space', ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127']],
  ['mapped and native IPv4 merge', ['::ffff:10.0.0.0/121', '10.0.0.128/25'], ['10.0.0.0/24']],
];

for (const [name, input, output] of aggregations) {
  test(`aggregate: ${name}`, () => {
    assert.deepEqual(agg(input), output);
  });
}

test('compareCidr: IPv4 first, then start, then shorter prefix', () => {
  const list: Cidr[] = [
    { family: 6, start: 0n, prefix: 128 },
    { family: 4, start: 10, prefix: 32 },
    { family: 4, start: 0, prefix: 8 },
    { family: 4, start: 0, prefix: 0 },
  ];
  assert.deepEqual(list.sort(compareCidr).map(formatCidr), ['0.0.0.0/0', '0.0.0.0/8', '0.0.0.10/32', '::/128']);
});

// ---------------------------------------------------------------- aggregation, properties
//
// Oracle: ranges inside a small space (a /22: 1024 addresses) are expanded to a bitmap; the unique
// minimal CIDR cover of a set of addresses is the greedy one (largest aligned block at each run start).
// aggregate() must return exactly that cover, sorted, so it covers the same addresses, never more,
// never less, and nothing in it can be merged or is contained in another.

const SPACE_BITS = 10; // 1024 addresses
const SPACE = 1 << SPACE_BITS;

function expand(starts: Array<[offset: number, prefixInSpace: number]>): Uint8Array {
  const set = new Uint8Array(SPACE);
  for (const [offset, p] of starts) {
    const size = 1 << (SPACE_BITS - p);
    const start = offset & ~(size - 1);
    set.fill(1, start, start + size);
  }
  return set;
}

function greedyCover(set: Uint8Array): Array<[start: number, size: number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < SPACE) {
    if (!set[i]) {
      i++;
      continue;
    }
    let size = 1;
    while (i % (size * 2) === 0 && i + size * 2 <= SPACE && set.subarray(i, i + size * 2).every((b) => b === 1)) size *= 2;
    out.push([i, size]);
    i += size;
  }
  return out;
}

// A random range inside the space: an address offset and a prefix length relative to the space (0 = all of it).
const rangeInSpace = fc.tuple(fc.integer({ min: 0, max: SPACE - 1 }), fc.integer({ min: 0, max: SPACE_BITS }));
const RUNS = { seed: 20_241_125, numRuns: 500 };
const V4_BASE = 0x0a000000; // 10.0.0.0/22
const V6_BASE = 0x20010db8n << 96n; // 2001:db8::/118

function toText(family: 4 | 6, offset: number, p: number, hostBits: boolean): string {
  const size = 1 << (SPACE_BITS - p);
  const start = hostBits ? offset : offset & ~(size - 1);
  if (family === 4) {
    const n = V4_BASE + start;
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${32 - SPACE_BITS + p}`;
  }
  return formatCidr({ family: 6, start: V6_BASE + BigInt(start), prefix: 128 - SPACE_BITS + p });
}

function expectedTexts(family: 4 | 6, set: Uint8Array): string[] {
  return greedyCover(set).map(([start, size]) => {
    const prefix = (family === 4 ? 32 : 128) - Math.log2(size);
    return family === 4
      ? formatCidr({ family: 4, start: V4_BASE + start, prefix })
      : formatCidr({ family: 6, start: V6_BASE + BigInt(start), prefix });
  });
}

test('property: aggregate() of IPv4 ranges is exactly the minimal cover of their union', () => {
  fc.assert(
    fc.property(fc.array(rangeInSpace, { maxLength: 24 }), fc.boolean(), (ranges, hostBits) => {
      const out = agg(ranges.map(([o, p]) => toText(4, o, p, hostBits)));
      assert.deepEqual(out, expectedTexts(4, expand(ranges)));
    }),
    RUNS,
  );
});

test('property: aggregate() of IPv6 ranges is exactly the minimal cover of their union', () => {
  fc.assert(
    fc.property(fc.array(rangeInSpace, { maxLength: 24 }), (ranges) => {
      const out = agg(ranges.map(([o, p]) => toText(6, o, p, false)));
      assert.deepEqual(out, expectedTexts(6, expand(ranges)));
    }),
    RUNS,
  );
});

test('property: mixed families aggregate independently, IPv4 first, and the result is a fixed point', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(4 as const, 6 as const), rangeInSpace), { maxLength: 30 }), (ranges) => {
      const texts = ranges.map(([f, [o, p]]) => toText(f, o, p, false));
      const out = agg(texts);
      const v4 = ranges.filter(([f]) => f === 4).map(([, r]) => r);
      const v6 = ranges.filter(([f]) => f === 6).map(([, r]) => r);
      assert.deepEqual(out, [...expectedTexts(4, expand(v4)), ...expectedTexts(6, expand(v6))]);
      assert.deepEqual(agg(out), out, 'aggregating the output again changes nothing');
      assert.deepEqual(agg([...texts].reverse()), out, 'input order does not matter');
    }),
    RUNS,
  );
});

test('property: no two outputs are mergeable siblings and none is contained in another', () => {
  fc.assert(
    fc.property(fc.array(rangeInSpace, { maxLength: 40 }), (ranges) => {
      const out = aggregate(ranges.map(([o, p]) => {
        const r = parseCidr(toText(4, o, p, false));
        if (!r.ok) throw new Error('fixture');
        return r.cidr;
      }));
      for (let i = 0; i < out.length; i++) {
        for (let j = 0; j < out.length; j++) {
          if (i === j) continue;
          const a = out[i]!;
          const b = out[j]!;
          const aStart = a.start as number;
          const bStart = b.start as number;
          const aEnd = aStart + 2 ** (32 - a.prefix);
          const bEnd = bStart + 2 ** (32 - b.prefix);
          assert.ok(aEnd <= bStart || bEnd <= aStart, `${formatCidr(a)} overlaps ${formatCidr(b)}`);
          const size = 2 ** (32 - a.prefix);
          const siblings = a.prefix === b.prefix && aStart + size === bStart && aStart % (2 * size) === 0;
          assert.ok(!siblings, `${formatCidr(a)} and ${formatCidr(b)} should have been merged`);
        }
        if (i > 0) assert.ok(compareCidr(out[i - 1]!, out[i]!) < 0, 'sorted ascending');
      }
    }),
    RUNS,
  );
});
