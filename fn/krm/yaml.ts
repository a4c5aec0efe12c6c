// YAML and JSON in, YAML out, with js-yaml 4's core schema (YAML 1.2): `yes`, `on` and dates stay
// strings. Numbers are lossless: a number whose text would not be written back the same way (0x1F,
// 1.0, 1e3, an integer beyond 2^53) is read as a NumberText and written back verbatim, so items the
// function does not own leave byte-for-byte as they came in.
import yaml from 'js-yaml';

/** A YAML number kept as written. `value` is its numeric reading, for code that needs one. */
export class NumberText {
  constructor(readonly text: string, readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

// The core schema's own implicit types (null, bool, int, float); the typings do not expose the list.
type ScalarType = yaml.Type & {
  tag: string;
  resolve: (data: string) => boolean;
  construct: (data: string) => unknown;
  represent?: ((o: unknown, style?: string) => string) | Record<string, (o: unknown) => string>;
};
const [nullType, boolType, intType, floatType] = (yaml.CORE_SCHEMA as unknown as { implicit: ScalarType[] }).implicit;

/**
 * Replaces a core number type (same tag, so it takes the core one's place): reads like it, and writes
 * a NumberText verbatim and a plain number the way the core type would.
 */
function losslessNumber(base: ScalarType, isMine: (n: number) => boolean): yaml.Type {
  const write = (n: number): string => {
    const r = base.represent;
    if (typeof r === "function") return (r as (o: unknown, style?: string) => string)(n, "lowercase");
    return r?.decimal ? r.decimal(n) : String(n);
  };
  return new yaml.Type(base.tag, {
    kind: 'scalar',
    resolve: base.resolve,
    construct: (data: string) => {
      const value = base.construct(data) as number;
      return String(value) === data ? value : new NumberText(data, value);
    },
    predicate: (o: unknown) => (o instanceof NumberText ? isMine(o.value) || Number.isNaN(o.value) : typeof o === 'number' && isMine(o)),
    represent: (o: object) => (o instanceof NumberText ? o.text : write(o as unknown as number)),
  });
}

/**
 * YAML 1.1 readers (kyaml in kpt, go-yaml) take an unquoted 2018-11-06T01:39:03Z for a timestamp. Such
 * strings are read as strings (YAML 1.2) but written quoted, so a round trip through kpt keeps them
 * strings and keeps the quotes the file had.
 */
const timestampLike = new yaml.Type('tag:yaml.org,2002:timestamp', {
  kind: 'scalar',
  resolve: (data: string) => /^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(data),
  construct: (data: string) => data,
  predicate: () => false,
});

const isInt = (n: number) => Number.isInteger(n) && !Object.is(n, -0);
const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType!, boolType!, losslessNumber(intType!, isInt), losslessNumber(floatType!, (n) => !isInt(n)), timestampLike],
});

const NOT_JSON = Symbol('not JSON');

/** The fast path: text that looks like JSON and is JSON. Otherwise NOT_JSON (YAML flow style, say). */
function tryJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return NOT_JSON;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** Reads one document: JSON when it is JSON, YAML otherwise. */
export function parseDocument(text: string): unknown {
  const json = tryJson(text);
  return json !== NOT_JSON ? json : yaml.load(text, { schema: SCHEMA });
}

/** Reads every document of a YAML stream (or one JSON value); empty documents are dropped. */
export function parseDocuments(text: string): unknown[] {
  const json = tryJson(text);
  if (json !== NOT_JSON) return [json];
  return yaml.loadAll(text, undefined, { schema: SCHEMA }).filter((d) => d !== null && d !== undefined);
}

export function toYaml(value: unknown): string {
  return yaml.dump(value, { schema: SCHEMA, noRefs: true, lineWidth: -1, quotingType: '"' });
}

export function toYamlStream(docs: readonly unknown[]): string {
  return docs.map(toYaml).join('---\n');
}

/** A deep copy with every NumberText replaced by its number: what the core and zod expect. */
export function plain<T>(value: T): T {
  if (value instanceof NumberText) return value.value as unknown as T;
  if (Array.isArray(value)) return value.map(plain) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out as T;
  }
  return value;
}

export function describeYamlError(e: unknown): string {
  if (e instanceof yaml.YAMLException) return `malformed YAML: ${e.reason}${e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : ''}`;
  if (e instanceof SyntaxError) return `malformed JSON: ${e.message}`;
  return `unreadable input: ${e instanceof Error ? e.message : String(e)}`;
}

/** Where an item of a block-style `items:` sequence stood in the input, to write it back verbatim. */
export interface ItemSource {
  /** The item's text from its "- " to the next item's (its comments included). */
  text: string;
  /** Column of the item's "- ". */
  column: number;
}

/**
 * Reads a ResourceList and remembers the source text of each item, so that items the function does not
 * change are written back exactly as they came (quotes, comments, key order and all): a kpt package
 * then shows no diff in files the function did not touch. Returns no sources for JSON or flow-style
 * input, which is then written back through the YAML dumper.
 *
 * Nodes are most of a large input, and most of a Node is its status.images list, which the function
 * never reads. Those blocks are cut out before parsing (a Node is written back from its source text,
 * so its parsed value only needs the fields the function reads); whenever that cannot be shown safe
 * (no per-item sources, a cut outside a Node item, any parse error) the whole text is parsed instead.
 */
export function parseResourceListText(text: string): { value: unknown; sources?: Map<unknown, ItemSource> } {
  const json = tryJson(text);
  if (json !== NOT_JSON) return { value: json };
  const cuts = unreadNodeBlocks(text);
  if (cuts.length > 0) {
    try {
      const fast = parseBlockList(text, cuts);
      if (fast) return fast;
    } catch {
      // parsed again below, so that an error names the line of the real text
    }
  }
  return parseBlockList(text, [])!;
}

/** [start, end) ranges of whole lines. */
type Cut = readonly [number, number];

const NODE_KINDS = new Set(['Node', 'NodeList', 'List']);

/**
 * Parses `text` with the `cuts` left out, and finds each item's source text. Undefined when cuts were
 * made and the result cannot be trusted: no per-item sources (items would be dumped from their
 * values), or a cut that is not inside a Node (or List of Nodes) item.
 */
function parseBlockList(text: string, cuts: readonly Cut[]): { value: unknown; sources?: Map<unknown, ItemSource> } | undefined {
  let parsedText = text;
  // Where each cut sits in the parsed text, and how much was removed up to and including it.
  const at: number[] = [];
  const removed: number[] = [];
  if (cuts.length > 0) {
    const parts: string[] = [];
    let from = 0;
    let total = 0;
    for (const [start, end] of cuts) {
      parts.push(text.slice(from, start));
      at.push(start - total);
      total += end - start;
      removed.push(total);
      from = end;
    }
    parts.push(text.slice(from));
    parsedText = parts.join('');
  }
  /** A position in the parsed text -> the same place in `text` (a cut's position -> after it). */
  const original = (p: number): number => {
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? p : p + removed[lo - 1]!;
  };
  const untrusted = cuts.length > 0 ? undefined : null;

  // js-yaml reports every node it opens and closes. The items sequence is a node at depth 2 (under the
  // document mapping) and its entries are at depth 3; a block entry's text runs from its "- " (or the
  // end of the entry before) to the end of the entry, trailing comments included.
  let depth = 0;
  let sequenceStart = -1;
  let ends: Array<{ end: number; value: unknown }> = [];
  const sequences: Array<{ start: number; value: unknown; ends: typeof ends }> = [];
  const value = yaml.load(parsedText, {
    schema: SCHEMA,
    listener(event, state) {
      if (event === 'open') {
        depth++;
        if (depth === 2) {
          sequenceStart = state.position;
          ends = [];
        }
        return;
      }
      if (depth === 3) ends.push({ end: state.position, value: state.result });
      else if (depth === 2) sequences.push({ start: sequenceStart, value: state.result, ends });
      depth--;
    },
  });
  const maybeItems = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(maybeItems) || maybeItems.length === 0) return untrusted ?? { value };
  const items: unknown[] = maybeItems;
  const seq = sequences.find((g) => g.value === items);
  if (!seq || seq.ends.length !== items.length) return untrusted ?? { value };
  if (cuts.length > 0) {
    // Every cut must fall inside an item that is a Node (or a list of them).
    let i = 0;
    for (const p of at) {
      while (i < seq.ends.length && seq.ends[i]!.end < p) i++;
      const kind = (items[i] as { kind?: unknown } | undefined)?.kind;
      if (i === seq.ends.length || p <= seq.start || typeof kind !== 'string' || !NODE_KINDS.has(kind)) return undefined;
    }
  }
  const sources = new Map<unknown, ItemSource>();
  // The sequence opens right after "items:"; its text starts on the next line.
  const seqStart = original(seq.start);
  let from = text[seqStart] === '\n' ? seqStart + 1 : text.startsWith('\r\n', seqStart) ? seqStart + 2 : seqStart;
  for (const [i, entry] of seq.ends.entries()) {
    const end = original(entry.end);
    let body = text.slice(from, end);
    const dash = /^(?:[ \t]*(?:#.*)?\r?\n)*( *)- /.exec(body);
    // Only block entries ("- key: ...") can be written back line for line.
    if (!dash || entry.value !== items[i]) return untrusted ?? { value };
    if (!body.endsWith('\n')) body += '\n';
    sources.set(items[i], { text: body, column: dash[1]!.length });
    from = end;
  }
  return { value, sources };
}

/** Unread Node fields, by the key they sit under ('' for the Node itself). */
const UNREAD: Record<string, ReadonlySet<string>> = {
  '': new Set(['spec']),
  metadata: new Set(['managedFields']),
  status: new Set(['images', 'nodeInfo', 'capacity', 'allocatable', 'daemonEndpoints', 'volumesInUse', 'volumesAttached', 'config']),
};
/** `kind: Node` as a key of a block mapping (possibly its first key, after the "- " of an entry). */
const KIND_NODE = /^( *)(- )?kind:[ \t]*(?:Node|"Node"|'Node')[ \t]*\r?$/gm;
/** A key with its value on the following lines. */
const BLOCK_KEY = /^([A-Za-z][A-Za-z0-9]*):[ \t]*\r?\n?$/;

/** Indentation of the line starting at `i`, or -1 for a blank or comment-only line. */
function indentAt(text: string, i: number): number {
  let j = i;
  while (text.charCodeAt(j) === 32) j++;
  const c = text.charCodeAt(j);
  return Number.isNaN(c) || c === 10 || c === 13 || c === 35 /* # */ ? -1 : j - i;
}

/** Start of the line after the one containing `i` (text.length at the end). */
function nextLine(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n + 1;
}

/** The key on the line at `i` (indentation `ind`) when its value is a block on the lines below. */
const keyAt = (text: string, i: number, ind: number): string | undefined => BLOCK_KEY.exec(text.slice(i + ind, nextLine(text, i)))?.[1];

/** End of the block value of the key on the line at `start` (indentation `indent`): lines indented
 * deeper, or "- " entries at the key's own indentation (the way kyaml writes sequences). */
function blockEnd(text: string, start: number, indent: number): number {
  let end = nextLine(text, start);
  for (let l = end; l < text.length; l = nextLine(text, l)) {
    const ind = indentAt(text, l);
    if (ind < 0) continue;
    if (ind > indent || (ind === indent && text.startsWith('- ', l + ind))) end = nextLine(text, l);
    else break;
  }
  return end;
}

/**
 * Blocks of Node objects in block-style YAML that the function never reads: `spec`, the big parts of
 * `status` (images above all) and `metadata.managedFields`, found below a `kind: Node` key in the
 * same mapping (keys above it are left alone). One forward pass over each Node's lines.
 */
export function unreadNodeBlocks(text: string): Cut[] {
  const cuts: Cut[] = [];
  KIND_NODE.lastIndex = 0;
  for (let m = KIND_NODE.exec(text); m; m = KIND_NODE.exec(text)) {
    const indent = m[1]!.length + (m[2] ? 2 : 0); // the mapping's keys
    let parent = ''; // the key of `indent` whose children are being read
    let childIndent = -1;
    let l = nextLine(text, m.index);
    while (l < text.length) {
      const ind = indentAt(text, l);
      if (ind < 0) { l = nextLine(text, l); continue; }
      if (ind < indent) break; // the end of the Node's mapping
      if (ind === indent) {
        const key = keyAt(text, l, ind);
        parent = key === 'metadata' || key === 'status' ? key : '';
        childIndent = -1;
        if (key !== undefined && UNREAD['']!.has(key)) {
          const end = blockEnd(text, l, ind);
          cuts.push([l, end]);
          l = end;
          continue;
        }
      } else if (parent) {
        if (childIndent < 0) childIndent = ind;
        const key = ind === childIndent ? keyAt(text, l, ind) : undefined;
        if (key !== undefined && UNREAD[parent]!.has(key)) {
          const end = blockEnd(text, l, ind);
          cuts.push([l, end]);
          l = end;
          continue;
        }
      }
      l = nextLine(text, l);
    }
    KIND_NODE.lastIndex = l;
  }
  return cuts;
}

function indentBlock(yamlText: string, column: number): string {
  const pad = ' '.repeat(column + 2);
  const lines = yamlText.replace(/\n$/, '').split('\n');
  return `${' '.repeat(column)}- ${lines[0]}\n${lines.slice(1).map((l) => (l === '' ? '\n' : `${pad}${l}\n`)).join('')}`;
}

/**
 * Writes a ResourceList: items found in `sources` verbatim, every other item and field through the
 * dumper, new items at the input's column.
 */
export function resourceListToYaml(list: { items: unknown[]; [k: string]: unknown }, sources?: Map<unknown, ItemSource>): string {
  if (!sources || sources.size === 0) return toYaml(list);
  const column = sources.values().next().value!.column;
  let out = '';
  for (const [key, val] of Object.entries(list)) {
    if (key !== 'items') {
      out += toYaml({ [key]: val });
      continue;
    }
    if (list.items.length === 0) {
      out += 'items: []\n';
      continue;
    }
    out += 'items:\n';
    for (const item of list.items) out += sources.get(item)?.text ?? indentBlock(toYaml(item), column);
  }
  return out;
}
