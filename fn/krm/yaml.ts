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

const isInt = (n: number) => Number.isInteger(n) && !Object.is(n, -0);
const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType!, boolType!, losslessNumber(intType!, isInt), losslessNumber(floatType!, (n) => !isInt(n))],
});

/** Reads one document: JSON when it looks like JSON (fast path), YAML otherwise. */
export function parseDocument(text: string): unknown {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all (YAML flow style): fall through
    }
  }
  return yaml.load(text, { schema: SCHEMA });
}

/** Reads every document of a YAML stream (or one JSON value); empty documents are dropped. */
export function parseDocuments(text: string): unknown[] {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return [JSON.parse(text)];
    } catch {
      // fall through to YAML
    }
  }
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
