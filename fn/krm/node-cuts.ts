// Nodes are most of a large ResourceList, and most of a Node is its status.images list, which the
// function never reads. Those blocks can be cut out of the text before parsing, which halves the
// parse. A cut is only right when the lines it skips are exactly one key and its value: that is
// checked here on the text alone (the lines of the Node item are all of a simple, one-line-per-node
// form, so indentation alone gives the structure), and by the reader on the parse (the cut lies in a
// Node item, at that Node's own keys). Anything else is parsed whole.

/** [start, end) ranges of whole lines. */
export type Cut = readonly [number, number];

/** The cuts below one `kind: Node` line, and the column of that Node's keys. */
export interface NodeCuts {
  kindAt: number;
  keyColumn: number;
  cuts: Cut[];
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
export function nextLine(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n + 1;
}

/** The key on the line at `i` (indentation `ind`) when its value is a block on the lines below. */
const keyAt = (text: string, i: number, ind: number): string | undefined => BLOCK_KEY.exec(text.slice(i + ind, nextLine(text, i)))?.[1];

const isEntry = (text: string, l: number, ind: number) => text.startsWith('- ', l + ind) || /^-\r?(\n|$)/.test(text.slice(l + ind, l + ind + 3));

/**
 * End of the block value of the key on the line at `start` (indentation `indent`): either a sequence
 * of "- " entries at the key's own indentation (the way kyaml writes them) with their deeper lines,
 * or lines indented deeper. Decided by the first line, so a stray "- " after a deeper mapping stays
 * in the text and is the parser's error, as it would be without the cut.
 */
function blockEnd(text: string, start: number, indent: number): number {
  let end = nextLine(text, start);
  let sequence: boolean | undefined;
  for (let l = end; l < text.length; l = nextLine(text, l)) {
    const ind = indentAt(text, l);
    if (ind < 0) continue;
    sequence ??= ind === indent && isEntry(text, l, ind);
    if (ind > indent || (sequence && ind === indent && isEntry(text, l, ind))) end = nextLine(text, l);
    else break;
  }
  return end;
}

/**
 * Blocks of Node objects in block-style YAML that the function never reads: `spec`, the big parts of
 * `status` (images above all) and `metadata.managedFields`, found below a `kind: Node` key in the
 * same mapping (keys above it are left alone). One forward pass over each Node's lines.
 */
export function unreadNodeBlocks(text: string): NodeCuts[] {
  const out: NodeCuts[] = [];
  KIND_NODE.lastIndex = 0;
  for (let m = KIND_NODE.exec(text); m; m = KIND_NODE.exec(text)) {
    const indent = m[1]!.length + (m[2] ? 2 : 0); // the mapping's keys
    const cuts: Cut[] = [];
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
    if (cuts.length > 0) out.push({ kindAt: m.index, keyColumn: indent, cuts });
    KIND_NODE.lastIndex = l;
  }
  return out;
}

// The simple line form: indentation, "- " entry markers, then a plain or one-line quoted key with a
// one-line value, or (after a marker) a one-line value; a comment at the end. No block scalars, no
// multi-line strings or flow collections, no anchors, aliases, tags, tabs or document markers: then
// every node of the text is on one line, and indentation alone decides which key a line belongs to.
const QUOTED = String.raw`(?:"(?:[^"\\\r\n]|\\[^\r\n])*"|'(?:[^'\r\n]|'')*')`;
const PLAIN = String.raw`(?:[^\s\-?:,\[\]{}#&*!|>'"%@\x60]|-(?=[^\s]))(?:[^\s:]|:(?=[^\s])| +(?=[^\s#]))*`;
const FLOW_ATOM = String.raw`(?:[^{}\[\]"'&*!#\r\n\t]|${QUOTED})`;
const FLOW1 = String.raw`(?:\{${FLOW_ATOM}*\}|\[${FLOW_ATOM}*\])`;
const FLOW2 = String.raw`(?:\{(?:${FLOW_ATOM}|${FLOW1})*\}|\[(?:${FLOW_ATOM}|${FLOW1})*\])`;
const FLOW3 = String.raw`(?:\{(?:${FLOW_ATOM}|${FLOW2})*\}|\[(?:${FLOW_ATOM}|${FLOW2})*\])`;
const VALUE = `(?:${QUOTED}|${FLOW3}|${PLAIN})`;
const KEY = String.raw`(?:[A-Za-z0-9_./][A-Za-z0-9_./-]*|${QUOTED})`;
const PAIR = `${KEY}:(?: +${VALUE})?`;
const COMMENT = '(?: +#[^\\r\\n]*)?';
const SIMPLE_LINE = new RegExp(` *(?:(?:- +)+(?:#[^\\r\\n]*|-|(?:${PAIR}|${VALUE})?${COMMENT})|${PAIR}${COMMENT}|#[^\\r\\n]*|) *\\r?(?:\\n|$)`, 'y');

/** Whether every line of text[start, end) has the simple form. */
export function simpleLines(text: string, start: number, end: number): boolean {
  for (let l = start; l < end;) {
    SIMPLE_LINE.lastIndex = l;
    if (!SIMPLE_LINE.test(text)) return false;
    const next = SIMPLE_LINE.lastIndex;
    if (next <= l) return false;
    l = next;
  }
  return true;
}
