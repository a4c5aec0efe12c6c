// JSON input, read as strictly as YAML: JSON.parse keeps the last of two equal keys in an object
// (`"allowBroadRanges": false, ..., "allowBroadRanges": true`), where the YAML reader refuses them.
// JSON.parse stays the reader (it is several times faster than the YAML parser on large input, and
// iterative, so deep input cannot overflow it); one pass over the text counts the keys, and a count
// larger than the parsed objects hold means a duplicate, which a slower pass then locates.
import { truncateQuoted } from './bounds';

/** A JSON text that is not acceptable; `message` is one line for the user. */
export class JsonInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonInputError';
  }
}

/** JSON.parse, refusing duplicate keys. Throws SyntaxError for malformed JSON. */
export function parseJson(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (keysInText(text) !== keysInValue(value)) {
    const dup = findDuplicateKey(text);
    if (dup) throw new JsonInputError(`duplicated mapping key ${truncateQuoted(JSON.stringify(dup.key))} at line ${dup.line}, column ${dup.column}`);
  }
  return value;
}

/** Every JSON string token, and whether it is followed by ":" (a key). Valid JSON only: there each
 * '"' outside a string opens one, so a left-to-right scan meets the tokens exactly. */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

function keysInText(text: string): number {
  let n = 0;
  STRING_TOKEN.lastIndex = 0;
  for (let m = STRING_TOKEN.exec(text); m; m = STRING_TOKEN.exec(text)) if (m[1] !== undefined) n++;
  return n;
}

/** Own keys of every object in the value (iterative: the value may be nested 100,000 deep). */
function keysInValue(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const values = Object.values(v);
    n += values.length;
    for (const x of values) stack.push(x);
  }
  return n;
}

const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],:]/g;

/** The first key that repeats within one object, with its 1-based line and column. */
function findDuplicateKey(text: string): { key: string; line: number; column: number } | undefined {
  const objects: Array<Set<string> | null> = []; // null: an array
  let expectKey = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const t = m[0];
    const top = objects[objects.length - 1];
    if (t === '{') { objects.push(new Set()); expectKey = true; continue; }
    if (t === '[') { objects.push(null); expectKey = false; continue; }
    if (t === '}' || t === ']') { objects.pop(); expectKey = false; continue; }
    if (t === ',') { expectKey = top instanceof Set; continue; }
    if (t === ':') { expectKey = false; continue; }
    if (expectKey && top) {
      const key = JSON.parse(t) as string;
      if (top.has(key)) {
        const before = text.slice(0, m.index);
        const line = before.split('\n').length;
        return { key, line, column: m.index - before.lastIndexOf('\n') };
      }
      top.add(key);
      expectKey = false;
    }
  }
  return undefined;
}
