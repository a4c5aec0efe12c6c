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

// Values are cut here, once, so no adapter can echo a 20 MB input into its results (shortValue below).
export const error = (message: string, field?: string, value?: unknown): Finding => ({ severity: 'error', message, field, value: shortValue(value) });
export const warning = (message: string, field?: string, value?: unknown): Finding => ({ severity: 'warning', message, field, value: shortValue(value) });

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

/** `['spec', 'sources', 2, 'cidrs', 4]` -> `spec.sources[2].cidrs[4]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      // A key can be any length (an unknown field of 1 MB): cut it like a quoted value.
      const text = String(part).length > MAX_QUOTED ? `${String(part).slice(0, MAX_QUOTED - 3)}...` : String(part);
      out += out === '' ? text : `.${text}`;
    }
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

/** At most this many errors, and as many warnings, are listed; then one line counts the rest. */
export const MAX_LISTED = 100;

/**
 * The findings with at most MAX_LISTED errors and MAX_LISTED warnings/infos (in their order), each kind
 * followed by a finding that counts what was left out: 130,000 bad CIDRs give a readable answer.
 */
export function capFindings(findings: readonly Finding[], unlistedErrors = 0): Finding[] {
  const errors = findings.filter((f) => f.severity === 'error');
  const others = findings.filter((f) => f.severity !== 'error');
  const errorCount = errors.length + unlistedErrors;
  if (errorCount <= MAX_LISTED && others.length <= MAX_LISTED) return findings as Finding[];
  const out: Finding[] = [];
  let e = 0;
  let o = 0;
  for (const f of findings) {
    if (f.severity === 'error' ? e++ < MAX_LISTED : o++ < MAX_LISTED) out.push(f);
  }
  if (errorCount > MAX_LISTED) out.push({ severity: 'error', message: `... and ${errorCount - Math.min(errors.length, MAX_LISTED)} more errors, not shown: fix the ones above and run again` });
  if (others.length > MAX_LISTED) out.push({ severity: 'warning', message: `... and ${others.length - MAX_LISTED} more warnings, not shown` });
  return out;
}
