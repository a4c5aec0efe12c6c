// whenNoNodes: Keep (and minNodes): the addresses a `nodes` entry had in the policy this function
// generated last time. Only what this function generated for that same entry comes back, and it is
// validated like a source, because the previous policy is observed data: it may have drifted, been
// edited, or be another object of the same name.
//
// Identity of an entry's rules (no priority band: bands shift when a new name collides with one):
//   - the policy carries this SecurityPolicy's generated-from mark (ownership.ts);
//   - the rule's description is exactly the entry's `<name> i/n` (rules.ts), and no other entry of the
//     current spec would write that description (long names are cut to fit 64 characters);
//   - the rule is what the function writes for an entry: action `allow`, `preview` as the spec now says,
//     a plain `SRC_IPS_V1` range list and nothing else in its match;
//   - the entry's matching rules come from one generation (one `n`, each `i` once).
import { formatCidr, isBroad, parseCidr, type Cidr } from './cidr';
import { error, listSome, quote, warning, type Finding } from './findings';
import { GENERATED_FROM_ANNOTATION, markOf } from './ownership';
import { parseRuleDescription, ruleDescription } from './rules';
import { policyRules } from './targets';

export interface KeepContext {
  entryName: string;
  /** `spec.nodes[2]`: where errors about kept ranges point. */
  field: string;
  /** This SecurityPolicy's generated-from mark. */
  mark: string;
  /** Names of every other source and nodes entry of the current spec. */
  otherNames: readonly string[];
  preview: boolean;
  allowBroadRanges: boolean;
}

export interface Kept {
  cidrs: Cidr[];
  /** Errors about kept ranges (unparseable, too broad). */
  findings: Finding[];
  /** Why nothing, or not everything, was kept: for the warning. */
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function keptRanges(previousPolicy: unknown, ctx: KeepContext): Kept {
  const kept: Kept = { cidrs: [], findings: [], notes: [] };
  if (!isObj(previousPolicy)) {
    kept.notes.push('there is no existing policy');
    return kept;
  }
  const mark = markOf(previousPolicy);
  if (mark !== ctx.mark) {
    kept.notes.push(mark === undefined
      ? `the existing policy has no ${GENERATED_FROM_ANNOTATION} annotation, so it is not known to be this function's output`
      : `the existing policy's generated-from mark names ${mark}, not ${ctx.mark}`);
    return kept;
  }
  const rules = policyRules(previousPolicy) ?? [];
  const ours: Array<{ index: number; total: number; ranges: string[] }> = [];
  const rejected: string[] = [];
  for (const raw of rules) {
    if (!isObj(raw)) continue;
    const description = typeof raw.description === 'string' ? raw.description : undefined;
    const parsed = parseRuleDescription(description);
    if (!parsed || description !== ruleDescription(ctx.entryName, parsed.index, parsed.total)) continue;
    const clash = ctx.otherNames.find((n) => ruleDescription(n, parsed.index, parsed.total) === description);
    if (clash !== undefined) {
      kept.notes.push(`rule ${quote(description)} could be entry ${clash}'s as well (names are cut to fit 64 characters); rename one of them`);
      return { ...kept, cidrs: [] };
    }
    const why = notGenerated(raw, ctx.preview);
    if (why) {
      rejected.push(`${quote(description)} (${why})`);
      continue;
    }
    ours.push({ index: parsed.index, total: parsed.total, ranges: ((raw.match as Obj).config as Obj).srcIpRanges as string[] });
  }
  const totals = new Set(ours.map((r) => r.total));
  const indexes = new Set(ours.map((r) => r.index));
  if (totals.size > 1 || indexes.size !== ours.length) {
    kept.notes.push(`the existing policy holds more than one set of rules described as entry ${ctx.entryName}'s; it is not known which one is`);
    return kept;
  }
  if (rejected.length > 0) kept.notes.push(`not kept, as this function would not have written them: ${listSome(rejected, 5)}`);
  for (const r of ours) {
    for (const text of r.ranges) {
      const p = parseCidr(text);
      if (!p.ok) {
        kept.findings.push(error(`the existing policy's rule for entry ${ctx.entryName} holds ${quote(text)}, which ${p.reason}; nothing was emitted. Fix or remove the existing policy`, ctx.field, text));
      } else if (isBroad(p.cidr) && !ctx.allowBroadRanges) {
        kept.findings.push(error(`the existing policy's rule for entry ${ctx.entryName} holds ${quote(text)}, which is broader than /${p.cidr.family === 4 ? 8 : 32}; it is not kept as an allow. Set spec.allowBroadRanges: true if that is intended, or fix the existing policy`, ctx.field, text));
      } else {
        kept.cidrs.push(p.cidr);
      }
    }
  }
  return kept;
}

/** Why a rule is not one the function writes for an entry, or undefined when it is. */
function notGenerated(rule: Obj, preview: boolean): string | undefined {
  const reasons: string[] = [];
  if (rule.action !== 'allow') reasons.push(`action ${typeof rule.action === 'string' ? quote(rule.action).slice(1, -1) : quote(rule.action)}`);
  if ((rule.preview ?? false) !== preview) reasons.push(`preview ${String(rule.preview)} while spec.preview is ${preview}`);
  const match = isObj(rule.match) ? rule.match : {};
  const config = isObj(match.config) ? match.config : {};
  if ((match.versionedExpr ?? 'SRC_IPS_V1') !== 'SRC_IPS_V1') reasons.push(`versionedExpr ${quote(match.versionedExpr)}`);
  const extraMatch = Object.keys(match).filter((k) => k !== 'config' && k !== 'versionedExpr' && !empty(match[k]));
  const extraConfig = Object.keys(config).filter((k) => k !== 'srcIpRanges' && !empty(config[k]));
  if (extraMatch.length + extraConfig.length > 0) reasons.push(`match also has ${[...extraMatch.map((k) => `match.${k}`), ...extraConfig.map((k) => `match.config.${k}`)].join(', ')}`);
  const ranges = config.srcIpRanges;
  if (!Array.isArray(ranges) || ranges.length === 0 || ranges.some((r) => typeof r !== 'string')) reasons.push('no list of ranges');
  const extra = Object.keys(rule).filter((k) => !['action', 'description', 'match', 'preview', 'priority'].includes(k) && !empty(rule[k]));
  if (extra.length > 0) reasons.push(`also has ${extra.join(', ')}`);
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const empty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.values(v).every(empty));

/** The warning's tail: which ranges were kept (capped), and why anything was not. */
export function describeKept(kept: Kept): string {
  const ranges = kept.cidrs.map(formatCidr);
  const what = ranges.length > 0 ? `: ${listSome(ranges)}` : '';
  return `${what}${kept.notes.length > 0 ? `${what ? '; ' : ' ('}${kept.notes.join('; ')}${what ? '' : ')'}` : ''}`;
}
