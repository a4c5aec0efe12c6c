// Writes a value as YAML in the many styles other tools and people use, for property tests of the
// readers: sequences indented under their key or not, flow mappings and sequences, comments, CRLF, a
// BOM, document markers, block scalars, quoted strings folded over several lines, and anchors with
// aliases for objects that appear twice (within one item or across items).
import { prng } from './nodes';

/** A plain scalar written exactly as given (`0x1F`, `yes`, `~`): what it means is the reader's business. */
export class RawScalar {
  constructor(readonly text: string) {}
}

export interface YamlStyle {
  seed: number;
  /** Sequences indented under their key (js-yaml's and PyYAML's default) or not (kyaml's). */
  seqIndent: boolean;
  /** Share of small mappings and sequences written in flow style. */
  flow: number;
  /** Share of places with a comment line or a trailing comment. */
  comments: number;
  /** Share of strings written double- or single-quoted instead of plain. */
  quoted: number;
  /** Share of strings with spaces written as a quoted scalar folded over several lines. */
  folded: number;
  crlf: boolean;
  bom: boolean;
  /** `---` before and `...` after the document. */
  markers: boolean;
  /** Objects met twice are written once with an anchor and then as aliases. */
  anchors: boolean;
}

const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:true|false|null|~|y|n|yes|no|on|off|[-+.]?[0-9].*|\.inf|\.nan)$/i;

/** The shared objects of a value: met more than once while walking it. */
function sharedObjects(root: unknown): Set<object> {
  const seen = new Set<object>();
  const shared = new Set<object>();
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object' || v instanceof RawScalar) return;
    if (seen.has(v)) { shared.add(v); return; }
    seen.add(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
  };
  walk(root);
  return shared;
}

export function writeYaml(root: unknown, style: YamlStyle): string {
  const rand = prng(style.seed);
  const chance = (p: number) => rand() < p;
  const shared = style.anchors ? sharedObjects(root) : new Set<object>();
  const anchors = new Map<object, string>();
  const lines: string[] = [];

  const comment = (indent: number) => {
    if (chance(style.comments)) lines.push(`${' '.repeat(chance(0.5) ? indent : 0)}# ${chance(0.5) ? 'a note' : '- kind: Node'}`);
  };
  const trailing = () => (chance(style.comments) ? ' # note: x' : '');

  const scalar = (v: unknown): string => {
    if (v instanceof RawScalar) return v.text;
    if (typeof v === 'string') {
      if (PLAIN_SAFE.test(v) && !RESERVED.test(v) && !chance(style.quoted)) return v;
      if (chance(0.3) && !/[\n\r\\]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
      return JSON.stringify(v);
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return 'null';
  };
  const isScalar = (v: unknown) => v === null || typeof v !== 'object' || v instanceof RawScalar;
  const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
  const flowable = (v: object): boolean => (Array.isArray(v) ? v : Object.values(v)).every((x) => isScalar(x) && !(typeof x === 'string' && x.includes('\n')));
  const flow = (v: object): string => Array.isArray(v)
    ? `[${v.map(scalar).join(', ')}]`
    : `{${Object.entries(v).map(([k, x]) => `${key(k)}: ${scalar(x)}`).join(', ')}}`;
  const key = (k: string) => (PLAIN_SAFE.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));

  /** Anchor or alias text for an object, '' when it is not shared. */
  const property = (v: object): { alias?: string; anchor: string } => {
    if (!shared.has(v)) return { anchor: '' };
    const name = anchors.get(v);
    if (name) return { alias: `*${name}`, anchor: '' };
    const fresh = `a${anchors.size + 1}`;
    anchors.set(v, fresh);
    return { anchor: `&${fresh} ` };
  };

  /** The value of a mapping key or sequence entry whose text starts at `head` (already holding "key:" or "- "). */
  const value = (head: string, v: unknown, indent: number, inSequence: boolean) => {
    if (isScalar(v)) {
      if (typeof v === 'string' && v.includes('\n') && !/[\r\t]/.test(v) && !/^ /m.test(v) && !/\n\n/.test(v) && !v.startsWith('\n')) {
        // A literal block scalar, clipped (one final line break) or stripped (none).
        const body = v.endsWith('\n') ? v.slice(0, -1) : v;
        lines.push(`${head} |${v.endsWith('\n') ? '' : '-'}${trailing()}`);
        for (const l of body.split('\n')) lines.push(`${' '.repeat(indent + 2)}${l}`);
        return;
      }
      if (typeof v === 'string' && v.includes(' ') && !/[\n\r\\"]/.test(v) && !/  /.test(v) && !v.startsWith(' ') && !v.endsWith(' ') && chance(style.folded)) {
        // A double-quoted scalar folded over lines: each line break reads as one space.
        const words = v.split(' ');
        const cont = ' '.repeat(indent + Math.floor(rand() * 3));
        let line = `${head} "${words[0]}`;
        for (const w of words.slice(1)) {
          if (chance(0.5)) { lines.push(line); line = `${cont}${w}`; } else line += ` ${w}`;
        }
        lines.push(`${line}"${trailing()}`);
        return;
      }
      lines.push(`${head} ${scalar(v)}${trailing()}`);
      return;
    }
    const obj = v as object;
    const { alias, anchor } = property(obj);
    if (alias) { lines.push(`${head} ${alias}${trailing()}`); return; }
    if (isEmpty(obj)) { lines.push(`${head} ${anchor}${Array.isArray(obj) ? '[]' : '{}'}`); return; }
    if (flowable(obj) && chance(style.flow)) { lines.push(`${head} ${anchor}${flow(obj)}${trailing()}`); return; }
    if (anchor) lines.push(`${head} ${anchor.trimEnd()}${trailing()}`);
    else lines.push(`${head}${trailing()}`);
    if (Array.isArray(obj)) sequence(obj, inSequence || style.seqIndent ? indent + 2 : indent);
    else mapping(obj as Record<string, unknown>, indent + 2);
  };

  const mapping = (m: Record<string, unknown>, indent: number) => {
    for (const [k, v] of Object.entries(m)) value(`${' '.repeat(indent)}${key(k)}:`, v, indent, false);
  };

  const sequence = (s: unknown[], indent: number) => {
    for (const entry of s) {
      comment(indent);
      const pad = ' '.repeat(indent);
      if (entry !== null && typeof entry === 'object' && !(entry instanceof RawScalar) && !Array.isArray(entry) && !isEmpty(entry) && !shared.has(entry)) {
        // "- key: value" with the other keys below, at the column of the first.
        const entries = Object.entries(entry);
        const [k0, v0] = entries[0]!;
        value(`${pad}- ${key(k0)}:`, v0, indent + 2, false);
        for (const [k, v] of entries.slice(1)) value(`${pad}  ${key(k)}:`, v, indent + 2, false);
      } else if (entry !== null && typeof entry === 'object' && !isEmpty(entry) && !shared.has(entry) && !flowable(entry)) {
        lines.push(`${pad}-`);
        sequence(entry as unknown[], indent + 2);
      } else {
        value(`${pad}-`, entry, indent, true);
      }
    }
  };

  if (style.markers) lines.push('---');
  mapping(root as Record<string, unknown>, 0);
  if (style.markers) lines.push('...');
  let text = `${lines.join('\n')}\n`;
  if (style.crlf) text = text.replace(/\n/g, '\r\n');
  return style.bom ? `\uFEFF${text}` : text;
}
