// A finding is one thing the core has to say about its input: an error that stops generation, or a
// warning/info the adapters pass on (KRM results, Crossplane results, CLI stderr). The core never
// throws for bad input; it returns findings, so every adapter reports the same words.
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  message: string;
  /** Field path in the SecurityPolicy, e.g. `spec.sources[2].cidrs[4]`. */
  field?: string;
  /** The offending value, when there is one. */
  value?: unknown;
}

export const error = (message: string, field?: string, value?: unknown): Finding => ({ severity: 'error', message, field, value });
export const warning = (message: string, field?: string, value?: unknown): Finding => ({ severity: 'warning', message, field, value });

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** `['spec', 'sources', 2, 'cidrs', 4]` -> `spec.sources[2].cidrs[4]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line a human can act on: `spec.sources[0].cidrs[1]: "10.0.0.300" is not ... ` */
export function describe(f: Finding): string {
  return f.field ? `${f.field}: ${f.message}` : f.message;
}

/** Longest value quoted in a message or returned as a finding's value (a 20 MB CIDR stays a line). */
export const MAX_QUOTED = 120;

/** A value as messages quote it: JSON, cut to MAX_QUOTED characters with the full length said. */
export function quote(value: unknown): string {
  const json = typeof value === 'string' ? JSON.stringify(value.length > MAX_QUOTED * 2 ? value.slice(0, MAX_QUOTED * 2) : value) : JSON.stringify(value);
  if (json === undefined) return String(value);
  const length = typeof value === 'string' ? value.length : json.length;
  return json.length <= MAX_QUOTED ? json : `${json.slice(0, MAX_QUOTED - 3)}..." (${length} characters)`;
}

/** A finding's value, strings cut like quote() so that results never echo a huge input in full. */
export function shortValue(value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED - 3)}...` : value;
}

/** `a, b, c and 7 more`: a list cut to `max` items for a message. */
export function listSome(items: readonly string[], max = 10): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
