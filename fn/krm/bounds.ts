// Bounds on the work one input may cause, for every reader (KRM stdin, CLI files). YAML aliases make
// a few hundred bytes stand for billions of values ("billion laughs"); deep nesting overflows the
// stack of every recursive walk. Both are measured here without expanding anything.

/** Largest input accepted (bytes, per stdin or per file). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
/** Most values one object the function reads may stand for once its YAML aliases are expanded. */
export const MAX_EXPANDED_VALUES = 1_000_000;
/** Deepest nesting of any value (YAML is refused deeper by the parser itself). */
export const MAX_DEPTH = 1_000;
/** Longest value quoted in a message. */
export const MAX_QUOTED = 80;

/** Input beyond a bound: its message is one line for the user. */
export class InputBoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputBoundError';
  }
}

export interface Measure {
  /** Values the tree stands for with every alias expanded, counted up to `cap` + 1. */
  expanded: number;
  /** Nesting depth (a scalar is 0), counted up to MAX_DEPTH + 1. */
  depth: number;
}

/**
 * Size and depth of a parsed value, in time linear in its distinct objects: a shared object (a YAML
 * alias) is measured once and its count reused. Iterative, so a deep value cannot overflow the stack.
 */
export function measure(root: unknown, cap = MAX_EXPANDED_VALUES): Measure {
  if (root === null || typeof root !== 'object') return { expanded: 1, depth: 0 };
  const counts = new Map<object, number>();
  const onPath = new Set<object>();
  let depth = 0;
  // Post-order walk: an object is counted once all its children are.
  const stack: Array<{ obj: object; children: unknown[]; next: number; sum: number }> = [];
  const push = (obj: object) => {
    onPath.add(obj);
    stack.push({ obj, children: Array.isArray(obj) ? obj : Object.values(obj), next: 0, sum: 1 });
    if (stack.length - 1 > depth) depth = stack.length - 1;
  };
  push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    // Past a bound the exact figures do not matter (and `expanded` is then a lower bound).
    if (top.sum > cap || depth > MAX_DEPTH) return { expanded: Math.min(top.sum, cap + 1), depth };
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (child === null || typeof child !== 'object') { top.sum++; continue; }
      const known = counts.get(child);
      if (known !== undefined) { top.sum += known; continue; }
      if (onPath.has(child)) return { expanded: cap + 1, depth }; // a cycle (not from YAML): unbounded
      push(child);
      continue;
    }
    stack.pop();
    onPath.delete(top.obj);
    counts.set(top.obj, top.sum);
    if (stack.length > 0) stack[stack.length - 1]!.sum += top.sum;
    else return { expanded: Math.min(top.sum, cap + 1), depth };
  }
  return { expanded: 1, depth };
}

/** `text` cut to `max` characters, saying how long it was. */
export function truncate(text: string, max = MAX_QUOTED): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length.toLocaleString('en')} characters)`;
}

const LONG_QUOTED = new RegExp(`"([^"]{${MAX_QUOTED + 1},})"|<([^>]{${MAX_QUOTED + 1},})>`, 'g');

/** A message from a parser with every long quoted value in it (and the message itself) truncated. */
export function truncateQuoted(message: string): string {
  const cut = message.replace(LONG_QUOTED, (_m, q?: string, t?: string) => (q !== undefined ? `"${truncate(q)}"` : `<${truncate(t!)}>`));
  return truncate(cut, 4 * MAX_QUOTED);
}

/** A value quoted for a message: JSON for scalars, its type for anything else, truncated. */
export function quoteValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return truncate(typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Array.isArray(v) ? 'a list' : 'an object';
}

export const formatCount = (n: number): string => n.toLocaleString('en');

/** Whether a tree (no shared objects: JSON input) is nested deeper than MAX_DEPTH. Iterative. */
export function deeperThanLimit(root: unknown): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= MAX_DEPTH) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
  }
  return false;
}
