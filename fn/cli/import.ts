// `security-policy import`: an existing Cloud Armor policy (live, a KCC manifest or gcloud JSON) ->
// a SecurityPolicy. What a SecurityPolicy cannot express is listed, never dropped silently.
import { readFileSync } from 'node:fs';
import { DEFAULT_ACTIONS, DEFAULT_MAX_RULES, DEFAULT_RULE_PRIORITY, isBroad, parseCidr, parseRuleDescription, PROJECT_ANNOTATION } from '../core';
import { parse, parseDuration } from './args';
import { IMPORT_HELP } from './help';
import { CliError, readInputs, parseDocuments, toYaml } from './io';
import { writeOutputFile } from './output';
import { policyView, type PolicyRuleView, type PolicyView } from './policy-model';
import { stderrReporter } from './report';

export const DEFAULT_API_VERSION = 'security.example.org/v1alpha1';

export interface ImportOptions {
  apiVersion?: string;
  name?: string;
  namespace?: string;
  projectID?: string;
}

export interface Unexpressed {
  priority: number;
  reason: string;
  rule: string;
}

export interface ImportResult {
  securityPolicy: Record<string, unknown>;
  /** Rules the SecurityPolicy does not reproduce exactly; applying it would remove or alter them. */
  unexpressed: Unexpressed[];
  notes: string[];
}

const DNS_LABEL_MAX = 63;

/** A description -> a DNS label: lowercase, [a-z0-9-], no leading/trailing "-", at most 63 characters. */
export function toDnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+/, '').slice(0, DNS_LABEL_MAX).replace(/-+$/, '');
}

function uniqueLabel(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) {
    const suffix = `-${i}`;
    name = `${base.slice(0, DNS_LABEL_MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(name);
  return name;
}

function summarize(r: PolicyRuleView): string {
  const parts = [r.action || '(no action)'];
  if (r.description) parts.push(JSON.stringify(r.description));
  if (r.expr) parts.push(`expr ${JSON.stringify(r.expr)}`);
  if (r.srcIpRanges.length) parts.push(`srcIpRanges [${r.srcIpRanges.slice(0, 5).join(', ')}${r.srcIpRanges.length > 5 ? `, ... ${r.srcIpRanges.length - 5} more` : ''}]`);
  if (r.preview) parts.push('preview');
  return parts.join(' ');
}

/** Why an allow rule cannot become (part of) a source, or undefined when it can. */
function notASource(r: PolicyRuleView): string | undefined {
  if (r.action !== 'allow') {
    if (r.action.startsWith('deny')) return 'deny rules other than the default rule are not expressible (a SecurityPolicy is an allowlist)';
    return `action ${r.action} is not expressible (only allow rules and the default rule)`;
  }
  if (r.expr !== undefined) return 'expression (CEL) matches are not expressible';
  if (r.versionedExpr !== 'SRC_IPS_V1') return `versionedExpr ${r.versionedExpr ?? '(none)'} is not expressible`;
  if (r.extras.length) return `${r.extras.map((e) => e.split(':')[0]).join(', ')} not expressible`;
  if (r.srcIpRanges.length === 0) return 'no source IP ranges';
  if (r.srcIpRanges.includes('*')) return 'an allow rule for "*" other than the default rule is not expressible (use defaultAction: allow)';
  const bad = r.srcIpRanges.find((c) => !parseCidr(c).ok);
  if (bad) return `${JSON.stringify(bad)} is not a CIDR this tool accepts`;
  return undefined;
}

export function importPolicy(view: PolicyView, opts: ImportOptions = {}): ImportResult {
  const unexpressed: Unexpressed[] = [];
  const notes: string[] = [];
  const note = (r: PolicyRuleView, reason: string) => unexpressed.push({ priority: r.priority, reason, rule: summarize(r) });

  for (const e of view.extras) notes.push(`policy setting not managed by a SecurityPolicy (kept as is only if nothing else manages it): ${e}`);
  const defaultRule = view.rules.find((r) => r.priority === DEFAULT_RULE_PRIORITY);
  const candidates: PolicyRuleView[] = [];
  for (const r of view.rules) {
    if (r.priority === DEFAULT_RULE_PRIORITY) continue;
    const why = notASource(r);
    if (why) note(r, why);
    else candidates.push(r);
  }

  // One global preview flag: on only when every imported allow rule is in preview.
  const preview = candidates.length > 0 && candidates.every((r) => r.preview);
  for (const r of candidates) {
    if (r.preview !== preview) {
      note(r, r.preview
        ? 'preview mismatch: this rule is in preview (logged, not enforced) but is imported as an enforced allow'
        : 'preview mismatch: this rule is enforced but is imported in preview');
    }
  }

  let defaultAction: string | undefined;
  if (!defaultRule) {
    notes.push('the policy has no default rule (priority 2147483647); defaultAction left unset (deny(403))');
  } else {
    const exact = defaultRule.srcIpRanges.length === 1 && defaultRule.srcIpRanges[0] === '*' && defaultRule.versionedExpr === 'SRC_IPS_V1' && !defaultRule.expr && defaultRule.extras.length === 0;
    if ((DEFAULT_ACTIONS as readonly string[]).includes(defaultRule.action) && exact) {
      defaultAction = defaultRule.action;
      const expectedPreview = preview && defaultAction !== 'allow';
      if (defaultRule.preview !== expectedPreview) note(defaultRule, `preview mismatch: the default rule has preview ${defaultRule.preview}; the SecurityPolicy gives it ${expectedPreview}`);
    } else {
      note(defaultRule, `the default rule (action ${defaultRule.action}${exact ? '' : ', a match other than srcIpRanges ["*"]'}) is not expressible; defaultAction left unset (deny(403))`);
    }
  }

  // Group rules into sources: rules written by this tool ("name i/n") fold back into one source.
  const groups = new Map<string, { rules: PolicyRuleView[]; ours: boolean }>();
  for (const r of candidates) {
    const ours = parseRuleDescription(r.description)?.name;
    const key = ours !== undefined ? `ours:${ours}` : `desc:${r.description || `rule-${r.priority}`}`;
    const g = groups.get(key) ?? { rules: [], ours: ours !== undefined };
    g.rules.push(r);
    groups.set(key, g);
  }
  const taken = new Set<string>();
  let broad = false;
  const sources = [...groups.entries()].map(([key, g]) => {
    const text = key.slice(key.indexOf(':') + 1);
    const name = uniqueLabel(toDnsLabel(text) || `rule-${g.rules[0]!.priority}`, taken);
    const cidrs = [...new Set(g.rules.flatMap((r) => r.srcIpRanges))];
    if (cidrs.some((c) => { const p = parseCidr(c); return p.ok && isBroad(p.cidr); })) broad = true;
    const source: Record<string, unknown> = { name };
    if (!g.ours && g.rules[0]!.description && g.rules[0]!.description !== name) source.description = g.rules[0]!.description;
    source.cidrs = cidrs;
    return source;
  });
  if (broad) notes.push('some ranges are broader than /8 (IPv4) or /32 (IPv6): allowBroadRanges is set to true');

  const policy: Record<string, unknown> = { name: view.name };
  if (opts.projectID) policy.projectID = opts.projectID;
  if (view.type) policy.type = view.type;
  if (view.description) policy.description = view.description;
  const spec: Record<string, unknown> = { policy };
  if (defaultAction) spec.defaultAction = defaultAction;
  spec.preview = preview;
  spec.sources = sources;
  if (broad) spec.allowBroadRanges = true;
  if (candidates.length + 1 > DEFAULT_MAX_RULES) spec.limits = { maxRules: candidates.length + 1 };

  const metadata: Record<string, unknown> = { name: opts.name ?? view.name };
  if (opts.namespace) metadata.namespace = opts.namespace;
  unexpressed.sort((a, b) => a.priority - b.priority);
  return { securityPolicy: { apiVersion: opts.apiVersion ?? DEFAULT_API_VERSION, kind: 'SecurityPolicy', metadata, spec }, unexpressed, notes };
}

/** The SecurityPolicy YAML, headed by comments listing what was not imported. */
export function formatImport(result: ImportResult, origin: string): string {
  const lines = [`# Imported from ${origin} by security-policy import.`];
  if (result.unexpressed.length > 0) {
    lines.push('# Rules a SecurityPolicy cannot express exactly (applying this SecurityPolicy removes or changes them):');
    for (const u of result.unexpressed) lines.push(`#   priority ${u.priority}: ${u.reason}: ${u.rule}`);
  }
  for (const n of result.notes) lines.push(`# Note: ${n}`);
  lines.push('# Sources were named from rule descriptions; Node addresses are imported as static sources:');
  lines.push('# replace them with a nodes entry to follow the cluster.');
  return `${lines.map((l) => l.replace(/\n/g, ' ')).join('\n')}\n${toYaml(result.securityPolicy)}`;
}

/** A ComputeSecurityPolicy manifest or gcloud JSON from a file. */
function fromFile(path: string): { raw: unknown; project?: string; namespace?: string } {
  const docs = path === '-' ? parseDocuments(readFileSync(0, 'utf8'), '<stdin>') : (() => {
    const inputs = readInputs([path]);
    return [...inputs.computeSecurityPolicies, ...inputs.others];
  })();
  const found = docs.find((d) => d.doc.kind === 'ComputeSecurityPolicy' || d.doc.kind === 'compute#securityPolicy' || Array.isArray(d.doc.rules));
  if (!found) throw new CliError(`${path}: no ComputeSecurityPolicy or Cloud Armor policy JSON (gcloud compute security-policies describe --format json) found`);
  const doc = found.doc as Record<string, unknown> & { metadata?: { annotations?: Record<string, string> } };
  const annotation = doc.metadata?.annotations?.[PROJECT_ANNOTATION];
  const selfLink = typeof doc.selfLink === 'string' ? /\/projects\/([^/]+)\//.exec(doc.selfLink)?.[1] : undefined;
  const namespace = typeof doc.metadata === 'object' && typeof (doc.metadata as { namespace?: unknown }).namespace === 'string' ? (doc.metadata as { namespace: string }).namespace : undefined;
  return { raw: doc, project: annotation ?? selfLink, namespace };
}

export async function importMain(argv: string[]): Promise<number> {
  const { values, positionals } = parse('import', argv, {
    project: { type: 'string' },
    policy: { type: 'string' },
    from: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    'api-version': { type: 'string' },
    output: { type: 'string', short: 'o' },
    timeout: { type: 'string' },
    'api-endpoint': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(IMPORT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CliError(`unexpected argument ${JSON.stringify(positionals[0])}; use --from FILE or --project and --policy`);
  let raw: unknown;
  let project = values.project;
  let origin: string;
  let namespace = values.namespace;
  if (values.from) {
    if (values.policy) throw new CliError('--from and --policy are exclusive');
    const f = fromFile(values.from);
    raw = f.raw;
    project ??= f.project;
    namespace ??= f.namespace;
    origin = values.from === '-' ? 'stdin' : values.from;
  } else {
    if (!values.policy) throw new CliError('import needs --policy NAME (with --project) or --from FILE\nrun "security-policy import --help" for usage');
    project ??= process.env.GOOGLE_CLOUD_PROJECT ?? process.env.CLOUDSDK_CORE_PROJECT;
    if (!project) throw new CliError('import --policy needs --project (or GOOGLE_CLOUD_PROJECT)');
    const timeoutMs = parseDuration(values.timeout ?? '30s', '--timeout');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getLivePolicy } = require('./live-policy') as typeof import('./live-policy');
    const live = await getLivePolicy(project, values.policy, { apiEndpoint: values['api-endpoint'], timeoutMs });
    if (!live.found) throw new CliError(`Cloud Armor policy ${values.policy} not found in project ${project}`);
    raw = live.policy;
    origin = `projects/${project}/global/securityPolicies/${values.policy}`;
  }
  const view = policyView(raw);
  if (!view.name) throw new CliError(`${origin}: the policy has no name`);
  const result = importPolicy(view, { apiVersion: values['api-version'], name: values.name, namespace, projectID: project });
  for (const u of result.unexpressed) stderrReporter.warn(`not imported exactly: priority ${u.priority}: ${u.reason}: ${u.rule}`);
  for (const n of result.notes) stderrReporter.warn(n);
  const text = formatImport(result, origin);
  if (values.output) writeOutputFile(values.output, text);
  else process.stdout.write(text);
  const sources = (result.securityPolicy.spec as { sources: unknown[] }).sources.length;
  stderrReporter.info(`imported ${view.name}: ${sources} source(s)${result.unexpressed.length ? `, ${result.unexpressed.length} rule(s) not expressible (listed above)` : ''}`);
  return 0;
}
