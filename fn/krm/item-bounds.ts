// Bounds checked on every item before the function reads anything: an item nested too deep, or an
// object the function reads whose YAML aliases stand for too many values, fails the run with a
// result naming it; the items are still written back (deep ones as one line of JSON, aliased ones
// with their aliases), never expanded.
import { MAX_DEPTH, MAX_EXPANDED_VALUES, deeperThanLimit, formatCount, measure, truncate } from './bounds';
import type { KrmResult } from './resource-list';

/** Kinds the function reads into memory (copies, schema validation, comparisons). */
const READ_KINDS = new Set(['SecurityPolicy', 'Node', 'NodeList', 'List', 'ComputeSecurityPolicy', 'BackendConfig', 'GCPBackendPolicy', 'NodeSnapshot']);

function describe(o: unknown): string {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return '';
  const { kind, metadata } = o as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const ns = typeof metadata?.namespace === 'string' && metadata.namespace ? `${metadata.namespace}/` : '';
  return typeof kind === 'string' ? ` (${truncate(kind, 40)}${name !== undefined ? ` ${truncate(ns + name, 80)}` : ''})` : '';
}

const readByFunction = (o: unknown) => o !== null && typeof o === 'object' && READ_KINDS.has(String((o as { kind?: unknown }).kind));

/**
 * Errors for items (and the functionConfig) beyond the bounds. Only what can happen is measured: YAML
 * input is already bounded in depth by the parser, and without aliases no value stands for more than
 * its own size; JSON input has no aliases but any depth.
 */
export function itemBoundErrors(list: { items?: unknown; functionConfig?: unknown }, input: { json?: boolean; aliases: boolean }): KrmResult[] {
  const results: KrmResult[] = [];
  if (!input.json && !input.aliases) return results;
  const check = (o: unknown, path: string, read: boolean) => {
    if (o === null || typeof o !== 'object') return;
    const m = input.aliases ? measure(o) : { depth: deeperThanLimit(o) ? MAX_DEPTH + 1 : 0, expanded: 0 };
    if (m.depth > MAX_DEPTH) {
      results.push({ severity: 'error', message: `${path}${describe(o)}: nested deeper than ${formatCount(MAX_DEPTH)} levels`, field: { path } });
    } else if (input.aliases && read && m.expanded > MAX_EXPANDED_VALUES) {
      results.push({
        severity: 'error',
        message: `${path}${describe(o)}: its YAML aliases stand for more than ${formatCount(MAX_EXPANDED_VALUES)} values; write it without aliases`,
        field: { path },
      });
    }
  };
  if (Array.isArray(list.items)) list.items.forEach((item, i) => check(item, `items[${i}]`, readByFunction(item)));
  check(list.functionConfig, 'functionConfig', true);
  return results;
}
