// Turns per-entry address sets into Cloud Armor rules: ≤10 ranges per rule, one priority band per
// entry, and the default rule last.
import { aggregate, formatCidr, type Cidr } from './cidr';
import { assignBands, DEFAULT_RULE_PRIORITY } from './priorities';

export const MAX_RANGES_PER_RULE = 10; // Cloud Armor basic match limit (compute.proto SecurityPolicyRuleMatcherConfig)
export const MAX_DESCRIPTION = 64; // Cloud Armor rule description limit

export interface PolicyRule {
  action: string;
  description: string;
  match: { config: { srcIpRanges: string[] }; versionedExpr: 'SRC_IPS_V1' };
  preview: boolean;
  priority: number;
}

/** One source or `nodes` entry with the networks it allows. */
export interface RuleEntry {
  name: string;
  cidrs: readonly Cidr[];
}

/** `sapporo-office 1/3`, the name shortened if needed so the whole fits in 64 characters. */
export function ruleDescription(name: string, index: number, total: number): string {
  const suffix = ` ${index}/${total}`;
  return name.slice(0, MAX_DESCRIPTION - suffix.length) + suffix;
}

const DESCRIPTION_PATTERN = /^(.+) (\d+)\/(\d+)$/;

/** Reads back `name i/n`; undefined for descriptions this tool did not write. */
export function parseRuleDescription(description: string | undefined): { name: string; index: number; total: number } | undefined {
  const m = description ? DESCRIPTION_PATTERN.exec(description) : null;
  return m ? { name: m[1]!, index: Number(m[2]), total: Number(m[3]) } : undefined;
}

export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function defaultRule(action: string, preview: boolean): PolicyRule {
  return {
    action,
    description: 'default rule',
    match: { config: { srcIpRanges: ['*'] }, versionedExpr: 'SRC_IPS_V1' },
    preview,
    priority: DEFAULT_RULE_PRIORITY,
  };
}

/** Aggregated, chunked, prioritized allow rules for every entry, sorted by priority. */
export function buildAllowRules(entries: readonly RuleEntry[], preview: boolean): PolicyRule[] {
  const bands = assignBands(entries.map((e) => e.name));
  const rules: PolicyRule[] = [];
  for (const entry of entries) {
    const chunks = chunk(aggregate(entry.cidrs).map(formatCidr), MAX_RANGES_PER_RULE);
    const base = bands.get(entry.name)!;
    chunks.forEach((ranges, i) => {
      rules.push({
        action: 'allow',
        description: ruleDescription(entry.name, i + 1, chunks.length),
        match: { config: { srcIpRanges: ranges }, versionedExpr: 'SRC_IPS_V1' },
        preview,
        priority: base + i,
      });
    });
  }
  return rules.sort((a, b) => a.priority - b.priority);
}
