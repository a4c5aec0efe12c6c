// Reads a ResourceList and remembers the source text of each item, so that items the function does not
// change are written back exactly as they came (quotes, comments, key order and all): a kpt package
// then shows no diff in files the function did not touch.
//
// An item's text is written back only where that is provably the same YAML: the items are a block
// sequence, the item's text is whole lines from its "- " to the next item's, it uses no anchor defined
// outside it, and the stream has no directives. Any other item (JSON input, flow style, an alias across
// items, an item that ends mid-line) is written through the dumper, at the same column.
import yaml from 'js-yaml';
import { type Cut, type NodeCuts, nextLine, simpleLines, unreadNodeBlocks } from './node-cuts';
import { LOAD_OPTIONS, NOT_JSON, toYaml, tryJson, withoutBom } from './yaml';

/** Where an item of a block-style `items:` sequence stood in the input, to write it back verbatim. */
export interface ItemSource {
  /** The item's text: whole lines from its "- " (comment lines above it included) to the next item's. */
  text: string;
  /** Column of the item's "- ". */
  column: number;
}

export interface ParsedList {
  value: unknown;
  /** Items to write back verbatim, by identity. */
  sources?: Map<unknown, ItemSource>;
  /** Column of the items' "- " in the input, for items written through the dumper. */
  column?: number;
  /** Whether the text used YAML aliases (then values may share objects). */
  aliases: boolean;
  /** Whether the text was JSON (then values may be nested any depth). */
  json?: boolean;
}

/**
 * Reads a ResourceList (JSON or YAML). Nodes' unread blocks are cut out before parsing when that is
 * shown safe (see node-cuts.ts); whenever it is not (a check fails, the cut text does not parse), the
 * whole text is parsed instead, so that the result, and any error, is the full parse's.
 */
export function parseResourceListText(input: string): ParsedList {
  const text = withoutBom(input);
  const json = tryJson(text);
  if (json !== NOT_JSON) return { value: json, aliases: false, json: true };
  const nodes = unreadNodeBlocks(text);
  if (nodes.length > 0) {
    try {
      const fast = readList(text, nodes);
      if (fast) return fast;
    } catch {
      // parsed again below, so that an error names the line of the real text
    }
  }
  return readList(text, [])!;
}

const DASH = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*( *)-( +|(?=\r?\n|$))/;

/** End of an item's text snapped back to the start of its line when only indentation precedes it on
 * that line; undefined when the item ends mid-line (its text is then not whole lines). */
function snapEnd(text: string, end: number): number | undefined {
  if (end >= text.length) return text.length;
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return undefined;
  }
  return lineStart;
}

/**
 * Parses `text` with the cuts of `nodes` left out, and finds each item's source text. Undefined when
 * cuts were made and the result cannot be trusted.
 */
function readList(text: string, nodes: readonly NodeCuts[]): ParsedList | undefined {
  const cuts: Cut[] = nodes.flatMap((n) => n.cuts);
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
    return Math.min(text.length, lo === 0 ? p : p + removed[lo - 1]!);
  };
  const untrusted = cuts.length > 0 ? undefined : null;

  // js-yaml reports every node it opens and closes. The items sequence is a node at depth 2 (under the
  // document mapping) and its entries are at depth 3. Anchors and aliases are seen through the
  // parser's anchor map: which depth and position defined each anchor, and where each alias is used.
  let depth = 0;
  let sequenceStart = -1;
  let ends: Array<{ end: number; value: unknown }> = [];
  const sequences: Array<{ start: number; value: unknown; ends: typeof ends }> = [];
  const defs = new Map<string, { pos: number; depth: number }>();
  const uses: Array<{ pos: number; def: { pos: number; depth: number } | undefined }> = [];
  let anchorsUnclear = false;
  let watched = false;
  const value = yaml.load(parsedText, {
    ...LOAD_OPTIONS,
    listener(event, state) {
      if (event === 'open') {
        depth++;
        if (!watched) {
          watched = true;
          watchAnchors(state as unknown as AnchorState);
        }
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

  interface AnchorState { anchorMap: Record<string, unknown>; anchorMapTransactions?: unknown[]; position: number; input: string }
  function watchAnchors(state: AnchorState): void {
    state.anchorMap = new Proxy(state.anchorMap, {
      set(target, name, v) {
        if (typeof name === 'string') {
          defs.set(name, { pos: state.position, depth });
          // Anchors read back by a parser that backtracked: their owners are not known for sure.
          if ((state.anchorMapTransactions?.length ?? 0) > 0) anchorsUnclear = true;
        }
        return Reflect.set(target, name, v);
      },
      deleteProperty(target, name) {
        anchorsUnclear = true;
        return Reflect.deleteProperty(target, name);
      },
      get(target, name) {
        // An alias "*name" just read (the parser stands right after it).
        if (typeof name === 'string' && state.input.charCodeAt(state.position - name.length - 1) === 42 && state.input.endsWith(name, state.position)) {
          uses.push({ pos: state.position, def: defs.get(name) });
        }
        return Reflect.get(target, name);
      },
    });
  }

  const aliases = uses.length > 0;
  const maybeItems = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(maybeItems) || maybeItems.length === 0) return untrusted ?? { value, aliases };
  const items: unknown[] = maybeItems;
  const seq = sequences.find((g) => g.value === items);
  if (!seq || seq.ends.length !== items.length) return untrusted ?? { value, aliases };

  /** Index of the item whose parsed-text range holds `p`, or -1 outside the items. */
  const itemAt = (p: number): number => {
    if (p <= seq.start || p > seq.ends[seq.ends.length - 1]!.end) return -1;
    let lo = 0;
    let hi = seq.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq.ends[mid]!.end < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Item ranges in `text`: whole lines, from the line after "items:" on.
  const starts: number[] = [];
  const stops: Array<number | undefined> = [];
  let from: number | undefined = nextLine(text, original(seq.start));
  for (const entry of seq.ends) {
    starts.push(from ?? -1);
    const stop = snapEnd(text, original(entry.end));
    stops.push(from === undefined ? undefined : stop);
    from = stop;
  }

  const cutItems = cuts.length > 0 ? cutItemsIfSafe(text, nodes, items, starts, stops) : new Set<number>();
  if (!cutItems) return undefined;

  // Items using an anchor defined outside them cannot be written back alone.
  const notVerbatim = new Set<number>();
  for (const use of uses) {
    const user = itemAt(use.pos);
    if (user < 0) continue;
    const owner = use.def && use.def.depth >= 3 ? itemAt(use.def.pos) : -1;
    if (anchorsUnclear || owner !== user) notVerbatim.add(user);
  }
  // %TAG directives would be needed by tags in the items: write everything through the dumper.
  const directives = /^%/m.test(text);

  const sources = new Map<unknown, ItemSource>();
  let column: number | undefined;
  for (const [i, entry] of seq.ends.entries()) {
    const start = starts[i]!;
    const stop = stops[i];
    if (start < 0 || stop === undefined || entry.value !== items[i]) continue;
    let body = text.slice(start, stop);
    const dash = DASH.exec(body);
    if (!dash) continue;
    column ??= dash[1]!.length;
    if (notVerbatim.has(i) || directives || dash[1]!.length !== column) continue;
    if (!body.endsWith('\n')) body += '\n';
    sources.set(items[i], { text: body, column });
  }
  // An item read with cuts lacks their fields: it must be written back from its text, never dumped.
  for (const i of cutItems) if (!sources.has(items[i])) return undefined;
  return { value, sources, column, aliases };
}

/**
 * The cuts of each Node are right when its item is a Node whose keys are at the column the cuts were
 * made for, every cut lies inside that item, and every line of the item has the simple form. Returns
 * the items that hold cuts, or undefined when a cut is not shown right.
 */
function cutItemsIfSafe(text: string, nodes: readonly NodeCuts[], items: unknown[], starts: number[], stops: Array<number | undefined>): Set<number> | undefined {
  const checked = new Set<number>();
  for (const node of nodes) {
    const i = itemContaining(starts, stops, node.kindAt);
    if (i < 0) return undefined;
    const item = items[i] as { kind?: unknown } | null;
    if (item === null || typeof item !== 'object' || item.kind !== 'Node') return undefined;
    const start = starts[i]!;
    const stop = stops[i]!;
    for (const [cutStart, cutEnd] of node.cuts) if (cutStart < start || cutEnd > stop) return undefined;
    const dash = DASH.exec(text.slice(start, Math.min(stop, start + 4096)));
    if (!dash || dash[1]!.length + 1 + dash[2]!.length !== node.keyColumn) return undefined;
    if (!checked.has(i)) {
      if (!simpleLines(text, start, stop)) return undefined;
      checked.add(i);
    }
  }
  return checked;
}

function itemContaining(starts: number[], stops: Array<number | undefined>, p: number): number {
  for (let lo = 0, hi = starts.length - 1; lo <= hi;) {
    const mid = (lo + hi) >> 1;
    const stop = stops[mid];
    if (starts[mid]! < 0 || stop === undefined) return -1;
    if (p < starts[mid]!) hi = mid - 1;
    else if (p >= stop) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function indentBlock(yamlText: string, column: number): string {
  const pad = ' '.repeat(column + 2);
  const lines = yamlText.replace(/\n$/, '').split('\n');
  return `${' '.repeat(column)}- ${lines[0]}\n${lines.slice(1).map((l) => (l === '' ? '\n' : `${pad}${l}\n`)).join('')}`;
}

/**
 * Writes a ResourceList: items found in `sources` verbatim, every other item and field through the
 * dumper (items at the input's column, or js-yaml's own indentation of 2).
 */
export function resourceListToYaml(list: { items: unknown[]; [k: string]: unknown }, parsed?: Pick<ParsedList, 'sources' | 'column'>): string {
  const column = parsed?.column ?? 2;
  let out = '';
  for (const [key, val] of Object.entries(list)) {
    if (key !== 'items' || !Array.isArray(val)) {
      out += toYaml({ [key]: val });
      continue;
    }
    if (val.length === 0) {
      out += 'items: []\n';
      continue;
    }
    out += 'items:\n';
    for (const item of val) out += parsed?.sources?.get(item)?.text ?? indentBlock(toYaml(item), column);
  }
  return out;
}
