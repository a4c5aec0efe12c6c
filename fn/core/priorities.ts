// Stable priority bands. Each source and each `nodes` entry owns a band of BAND_SIZE priorities chosen
// from a hash of its name, so adding, removing or changing one entry renumbers no rule of another (a
// sorted index would shift every later entry). The rare hash collision is settled by name order, and
// only the colliding entries are affected. All generated rules are `allow`, so their relative order has
// no effect on what Cloud Armor lets through; only uniqueness and stability matter.
export const BAND_SIZE = 10_000; // rules per entry: 100,000 ranges, far above any project quota
export const DEFAULT_RULE_PRIORITY = 2_147_483_647;
export const MAX_USER_PRIORITY = 2_147_483_646;
export const BAND_COUNT = Math.floor((MAX_USER_PRIORITY + 1) / BAND_SIZE); // 214,748 bands

/** FNV-1a, 32 bit: tiny, fast, and fixed forever (changing it would renumber every policy). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Band start priority for each name; names must be unique. */
export function assignBands(names: readonly string[]): Map<string, number> {
  const taken = new Set<number>();
  const out = new Map<string, number>();
  for (const name of [...names].sort()) {
    let band = fnv1a(name) % BAND_COUNT;
    while (taken.has(band)) band = (band + 1) % BAND_COUNT;
    taken.add(band);
    out.set(name, band * BAND_SIZE);
  }
  return out;
}
