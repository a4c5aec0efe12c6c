// Bytes to text for every reader: UTF-8 only (a byte that is not UTF-8 is an error, never a silent
// U+FFFD in an item written back), a leading BOM dropped, and the size bounded.
import { InputBoundError, MAX_INPUT_BYTES, formatCount } from './bounds';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes`, or an InputBoundError naming the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length > MAX_INPUT_BYTES) throw tooLarge(bytes.length);
  try {
    return UTF8.decode(bytes); // drops a leading BOM
  } catch {
    throw new InputBoundError(`not valid UTF-8 (byte ${formatCount(firstInvalidByte(bytes))}); re-encode it as UTF-8`);
  }
}

export function tooLarge(bytes: number): InputBoundError {
  return new InputBoundError(`larger than ${formatCount(MAX_INPUT_BYTES / 1024 / 1024)} MiB (${formatCount(bytes)} bytes or more)`);
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (error path only). */
function firstInvalidByte(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; } else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; } else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}
