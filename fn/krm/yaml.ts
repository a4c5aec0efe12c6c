// YAML and JSON in, YAML out, with js-yaml 4's core schema (YAML 1.2): `yes`, `on` and dates stay
// strings. Numbers are lossless: a number whose text would not be written back the same way (0x1F,
// 1.0, 1e3, an integer beyond 2^53) is read as a NumberText and written back verbatim, so items the
// function does not own leave byte-for-byte as they came in.
import yaml from 'js-yaml';
import { setOwn } from '../common/own-keys';
import { InputBoundError, MAX_DEPTH, MAX_EXPANDED_VALUES, formatCount, measure, truncateQuoted } from './bounds';
import { toFlowJson } from './flow-json';
import { JsonInputError, parseJson } from './json-input';
import { NumberText } from './number-text';

export { NumberText };

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
export const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType!, boolType!, losslessNumber(intType!, isInt), losslessNumber(floatType!, (n) => !isInt(n)), timestampLike],
});

/** js-yaml's options for every read: our schema, and nesting bounded like JSON input's. */
export const LOAD_OPTIONS = { schema: SCHEMA, maxDepth: MAX_DEPTH } as const;

export const NOT_JSON = Symbol('not JSON');

/**
 * The fast path: text that looks like JSON and is JSON, read as strictly as YAML (duplicate keys
 * refused). Otherwise NOT_JSON (YAML flow style, say), to be read as YAML.
 */
export function tryJson(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return NOT_JSON;
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonInputError) throw e;
    return NOT_JSON;
  }
}

export const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Reads one document: JSON when it is JSON, YAML otherwise. */
export function parseDocument(text: string): unknown {
  const json = tryJson(withoutBom(text));
  return json !== NOT_JSON ? json : yaml.load(withoutBom(text), LOAD_OPTIONS);
}

/** Reads every document of a YAML stream (or one JSON value); empty documents are dropped. */
export function parseDocuments(text: string): unknown[] {
  const json = tryJson(withoutBom(text));
  if (json !== NOT_JSON) return [json];
  return yaml.loadAll(withoutBom(text), undefined, LOAD_OPTIONS).filter((d) => d !== null && d !== undefined);
}

/**
 * YAML text of a value. Aliases are expanded (noRefs) as long as that stays small; a value that
 * stands for more than MAX_EXPANDED_VALUES keeps its anchors and aliases instead, and one nested
 * deeper than the dumper can go is written as one line of JSON: nothing here can blow up.
 */
export function toYaml(value: unknown): string {
  const m = measure(value);
  if (m.depth > MAX_DEPTH) return `${toFlowJson(value)}\n`;
  return yaml.dump(value, { schema: SCHEMA, noRefs: m.expanded <= MAX_EXPANDED_VALUES, lineWidth: -1, quotingType: '"' });
}

export function toYamlStream(docs: readonly unknown[]): string {
  return docs.map(toYaml).join('---\n');
}


/**
 * A deep copy with every NumberText replaced by its number: what the core and zod expect. Every key
 * stays an own key (`__proto__` included, so the schema sees and refuses it), and the copy is bounded:
 * a value whose YAML aliases stand for more than MAX_EXPANDED_VALUES values is refused, not expanded.
 */
export function plain<T>(value: T): T {
  let budget = MAX_EXPANDED_VALUES;
  const copy = (v: unknown, depth: number): unknown => {
    if (--budget < 0) throw new InputBoundError(`stands for more than ${formatCount(MAX_EXPANDED_VALUES)} values once its YAML aliases are expanded`);
    if (depth > MAX_DEPTH) throw new InputBoundError(`is nested deeper than ${formatCount(MAX_DEPTH)} levels`);
    if (v instanceof NumberText) return v.value;
    if (Array.isArray(v)) return v.map((x) => copy(x, depth + 1));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, copy(x, depth + 1));
      return out;
    }
    return v;
  };
  return copy(value, 0) as T;
}

export function describeYamlError(e: unknown): string {
  if (e instanceof yaml.YAMLException) return `malformed YAML: ${truncateQuoted(e.reason)}${e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : ''}`;
  if (e instanceof JsonInputError) return `malformed JSON: ${e.message}`;
  if (e instanceof InputBoundError) return e.message;
  if (e instanceof SyntaxError) return `malformed JSON: ${truncateQuoted(e.message)}`;
  return `unreadable input: ${truncateQuoted(e instanceof Error ? e.message.split('\n')[0]! : String(e))}`;
}
