// A value written as one line of JSON (which is YAML flow style) without recursion, for values nested
// too deep for the YAML dumper (JSON.parse reads any depth; js-yaml's dump and JSON.stringify overflow
// the stack). Used only to give such items back unchanged with an error.
import { NumberText } from './number-text';

function scalar(v: unknown): string {
  if (v instanceof NumberText) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  if (typeof v === 'boolean') return String(v);
  return 'null';
}

export function toFlowJson(root: unknown): string {
  const out: string[] = [];
  // Each frame: the container, its entries, and how many were written.
  const stack: Array<{ entries: Array<[string | undefined, unknown]>; next: number; close: string }> = [];
  const open = (v: unknown) => {
    if (v === null || typeof v !== 'object' || v instanceof NumberText) { out.push(scalar(v)); return; }
    if (Array.isArray(v)) {
      out.push('[');
      stack.push({ entries: v.map((x) => [undefined, x] as [undefined, unknown]), next: 0, close: ']' });
    } else {
      out.push('{');
      stack.push({ entries: Object.entries(v), next: 0, close: '}' });
    }
  };
  open(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.entries.length) {
      out.push(top.close);
      stack.pop();
      continue;
    }
    const [key, value] = top.entries[top.next]!;
    if (top.next++ > 0) out.push(',');
    if (key !== undefined) out.push(`${JSON.stringify(key)}:`);
    open(value);
  }
  return out.join('');
}
