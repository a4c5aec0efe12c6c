// Rule-by-rule comparison of the live policy with the one render would produce, and its text and JSON
// presentations. Rules are matched by priority, then the leftovers by description (a rule that moved).
import { DEFAULT_RULE_PRIORITY } from '../core';
import { foreignReason, type PolicyRuleView, type PolicyView } from './policy-model';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface RuleDiff {
  change: 'add' | 'remove' | 'change' | 'move';
  priority: number;
  /** For `move`: the live priority. */
  fromPriority?: number;
  description: string;
  action: string;
  cidrsAdded: string[];
  cidrsRemoved: string[];
  fields: FieldChange[];
  /** Set when a live rule this tool did not create is removed or overwritten. */
  foreign?: string;
}

export interface PolicyDiff {
  policy: string;
  project: string;
  exists: boolean;
  policyChanges: FieldChange[];
  rules: RuleDiff[];
  warnings: string[];
  summary: { add: number; change: number; remove: number };
  hasChanges: boolean;
}

const setMinus = (a: readonly string[], b: readonly string[]) => {
  const bs = new Set(b);
  return a.filter((x) => !bs.has(x));
};

function compareRule(live: PolicyRuleView, want: PolicyRuleView): Pick<RuleDiff, 'cidrsAdded' | 'cidrsRemoved' | 'fields'> {
  const fields: FieldChange[] = [];
  const cmp = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) fields.push({ field, from, to });
  };
  if (live.priority !== want.priority) cmp('priority', live.priority, want.priority);
  cmp('action', live.action, want.action);
  cmp('description', live.description, want.description);
  cmp('preview', live.preview, want.preview);
  cmp('match.versionedExpr', live.versionedExpr, want.versionedExpr);
  cmp('match.expr', live.expr, want.expr);
  for (const extra of setMinus(live.extras, want.extras)) fields.push({ field: extra.split(':')[0]!, from: extra.slice(extra.indexOf(':') + 2), to: undefined });
  return { cidrsAdded: setMinus(want.srcIpRanges, live.srcIpRanges), cidrsRemoved: setMinus(live.srcIpRanges, want.srcIpRanges), fields };
}

export function diffPolicy(want: PolicyView, live: PolicyView | undefined, project: string): PolicyDiff {
  const warnings: string[] = [];
  const policyChanges: FieldChange[] = [];
  const rules: RuleDiff[] = [];
  const liveRules = live?.rules ?? [];
  if (live) {
    const liveType = live.type ?? 'CLOUD_ARMOR';
    const wantType = want.type ?? 'CLOUD_ARMOR';
    if (liveType !== wantType) {
      policyChanges.push({ field: 'type', from: liveType, to: wantType });
      warnings.push(`type would change from ${liveType} to ${wantType}, but type is immutable: the policy cannot be updated in place; it must be deleted and recreated (detach it from its backends first) or keep type ${liveType}`);
    }
    if ((live.description ?? '') !== (want.description ?? '')) policyChanges.push({ field: 'description', from: live.description ?? '', to: want.description ?? '' });
  }

  const liveByPriority = new Map(liveRules.map((r) => [r.priority, r]));
  const wantByPriority = new Map(want.rules.map((r) => [r.priority, r]));
  const added: PolicyRuleView[] = [];
  const removed: PolicyRuleView[] = [];
  for (const w of want.rules) {
    const l = liveByPriority.get(w.priority);
    if (!l) {
      added.push(w);
      continue;
    }
    const c = compareRule(l, w);
    if (c.cidrsAdded.length || c.cidrsRemoved.length || c.fields.length) {
      const foreign = foreignReason(l);
      rules.push({ change: 'change', priority: w.priority, description: w.description, action: w.action, ...c, ...(foreign ? { foreign } : {}) });
      if (foreign) warnings.push(`live rule ${l.priority} was not created by this tool (${foreign}); it would be overwritten`);
    }
  }
  for (const l of liveRules) if (!wantByPriority.has(l.priority)) removed.push(l);

  // A rule whose description is still there at another priority has moved (e.g. adopted from a policy
  // made by hand or by an older version): one change, not a delete and an add.
  const removedByDescription = new Map<string, PolicyRuleView>();
  for (const l of removed) if (l.description && !removedByDescription.has(l.description)) removedByDescription.set(l.description, l);
  const movedFrom = new Set<PolicyRuleView>();
  for (const w of added) {
    const l = removedByDescription.get(w.description);
    if (l && !movedFrom.has(l) && l.action === w.action) {
      movedFrom.add(l);
      rules.push({ change: 'move', priority: w.priority, fromPriority: l.priority, description: w.description, action: w.action, ...compareRule(l, w) });
    } else {
      rules.push({ change: 'add', priority: w.priority, description: w.description, action: w.action, cidrsAdded: [...w.srcIpRanges], cidrsRemoved: [], fields: [] });
    }
  }
  for (const l of removed) {
    if (movedFrom.has(l)) continue;
    const foreign = foreignReason(l);
    rules.push({ change: 'remove', priority: l.priority, description: l.description, action: l.action, cidrsAdded: [], cidrsRemoved: [...l.srcIpRanges], fields: [], ...(foreign ? { foreign } : {}) });
    if (foreign) warnings.push(`live rule ${l.priority} was not created by this tool (${foreign}); it would be deleted. Import it into the SecurityPolicy if it can be expressed, or manage this policy elsewhere`);
  }
  rules.sort((a, b) => a.priority - b.priority || a.change.localeCompare(b.change));
  const summary = {
    add: rules.filter((r) => r.change === 'add').length,
    change: rules.filter((r) => r.change === 'change' || r.change === 'move').length,
    remove: rules.filter((r) => r.change === 'remove').length,
  };
  return {
    policy: want.name,
    project,
    exists: live !== undefined,
    policyChanges,
    rules,
    warnings,
    summary,
    hasChanges: !live || rules.length > 0 || policyChanges.length > 0,
  };
}

export interface Style {
  add(s: string): string;
  remove(s: string): string;
  change(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLOR: Style = { add: wrap('32'), remove: wrap('31'), change: wrap('33'), dim: wrap('2'), bold: wrap('1') };
export const PLAIN: Style = { add: (s) => s, remove: (s) => s, change: (s) => s, dim: (s) => s, bold: (s) => s };

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
const ruleLabel = (r: { priority: number; action: string; description: string }) =>
  `rule ${r.priority === DEFAULT_RULE_PRIORITY ? `${r.priority} (default)` : r.priority}  ${r.action}  ${JSON.stringify(r.description)}`;

export function formatDiff(d: PolicyDiff, s: Style): string {
  const lines: string[] = [];
  const head = `ComputeSecurityPolicy ${d.policy} (project ${d.project})`;
  if (!d.exists) lines.push(s.bold(`${head}: does not exist; it will be created`));
  else if (!d.hasChanges) return `${s.bold(head)}: no changes\n`;
  else lines.push(s.bold(head));
  for (const c of d.policyChanges) lines.push(s.change(`  ~ ${c.field}: ${show(c.from)} -> ${show(c.to)}`));
  for (const r of d.rules) {
    const foreign = r.foreign ? s.dim(`   (not created by this tool: ${r.foreign})`) : '';
    if (r.change === 'add') lines.push(s.add(`  + ${ruleLabel(r)}`));
    else if (r.change === 'remove') lines.push(s.remove(`  - ${ruleLabel(r)}`) + foreign);
    else if (r.change === 'move') lines.push(s.change(`  ~ ${ruleLabel(r)}  (moved from priority ${r.fromPriority})`));
    else lines.push(s.change(`  ~ ${ruleLabel(r)}`) + foreign);
    for (const f of r.fields) if (f.field !== 'priority') lines.push(s.change(`      ~ ${f.field}: ${show(f.from)} -> ${show(f.to)}`));
    for (const c of r.cidrsAdded) lines.push(s.add(`      + ${c}`));
    for (const c of r.cidrsRemoved) lines.push(s.remove(`      - ${c}`));
  }
  lines.push(`  ${d.summary.add} to add, ${d.summary.change} to change, ${d.summary.remove} to remove${d.policyChanges.length ? `, ${d.policyChanges.length} policy field(s) to change` : ''}.`);
  return `${lines.join('\n')}\n`;
}
