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
