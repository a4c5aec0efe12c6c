// Prototype keys (`__proto__`, `constructor`, `prototype`) in a SecurityPolicy are never fields of it.
// Read as own keys (the readers make sure of that), they would be dropped silently by zod's records
// and passthrough objects (a matchLabels `__proto__` selector term vanishes, widening the selector), or
// take effect through the prototype in code that assigns them. They are refused everywhere but under
// `metadata`: its labels and annotations are free-form Kubernetes keys (`prototype` is a valid label
// key), and the function reads only metadata.name and metadata.namespace, as own keys. A foreign
// prototype (a key that was already assigned) is refused everywhere, metadata included.
import { error, formatPath, quote, type Finding } from './findings';

export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** At most this many prototype keys are reported (each one is an error). */
const MAX_REPORTED = 100;

/**
 * Errors for every prototype key among the own keys of `value` and of everything under it, naming the
 * field path. Iterative (no recursion limit) and each object visited once (YAML aliases share them).
 */
export function prototypeKeyFindings(value: unknown): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<object>();
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  while (stack.length > 0 && findings.length < MAX_REPORTED) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    // Defence in depth: a reader or a copy that assigned a `__proto__` key (`out[k] = v`) leaves no own
    // key but a foreign prototype, through which the key's fields would still be read.
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      findings.push(error('unknown field "__proto__": a prototype key is never a SecurityPolicy field (it was read as the object\'s prototype)', formatPath([...path, '__proto__'])));
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (PROTOTYPE_KEYS.has(key) && path[0] !== 'metadata') {
        findings.push(error(`unknown field ${quote(key)}: a prototype key is never a SecurityPolicy field`, formatPath([...path, key])));
      } else {
        stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return findings;
}
