// The KRM function as a pure transformation: parsed ResourceList in, ResourceList out, plus whether it
// succeeded and the lines to print on stderr. No I/O here (main.ts does it), so tests call it directly.
import { API_GROUP, INPUT_KIND, PROJECT_ANNOTATION, attachToExisting, isOurSecurityPolicy, isPolicyManifest, parseFunctionInput, policyCollision, policyTarget, readNodeInputs, render, type Finding, type GeneratedPolicy, type KubeObject, type NodeLike, type TargetOptions } from '../core';
import {
  GENERATED_FROM_ANNOTATION, INDEX_ANNOTATION, LEGACY_INDEX_ANNOTATION, LEGACY_PATH_ANNOTATION, PATH_ANNOTATION,
  RESOURCE_LIST_API_VERSIONS, filePath, identity, isObject, toResult,
  type KrmObject, type KrmResult, type ResourceList,
} from './resource-list';
import { isDeepStrictEqual } from 'node:util';
import { quoteValue } from './bounds';
import { plain } from './yaml';
import { setOwn } from '../common/own-keys';

export interface KrmOutcome {
  output: ResourceList;
  ok: boolean;
  /** Human-readable lines for stderr (errors only; the results carry everything). */
  summary: string[];
}

const OUTPUT_API_VERSION = 'config.kubernetes.io/v1';

/** Refuses what is not a ResourceList, with the full (unchanged) input echoed where there is one. */
export function processResourceList(input: unknown): KrmOutcome {
  if (!isObject(input)) return failure([], [{ message: `input is not a ResourceList object but ${input === null ? 'null' : Array.isArray(input) ? 'a list' : typeof input}`, severity: 'error' }]);
  const items = Array.isArray(input.items) ? (input.items as unknown[]) : [];
  if (input.kind !== 'ResourceList' || !RESOURCE_LIST_API_VERSIONS.includes(String(input.apiVersion))) {
    return failure(items as KrmObject[], [{
      message: `input must be a ResourceList (apiVersion ${RESOURCE_LIST_API_VERSIONS[0]}), got kind ${quoteValue(input.kind)} apiVersion ${quoteValue(input.apiVersion)}`,
      severity: 'error',
    }], input.functionConfig as KrmObject | undefined);
  }
  if (input.items !== undefined && !Array.isArray(input.items)) {
    return failure([], [{ message: 'ResourceList.items must be a list', severity: 'error', field: { path: 'items' } }], input.functionConfig as KrmObject | undefined);
  }
  const badIndex = items.findIndex((i) => !isObject(i));
  if (badIndex >= 0) {
    // Every item goes back as it came, the odd one included.
    return failure(items as KrmObject[], [{ message: `items[${badIndex}] is not an object`, severity: 'error', field: { path: `items[${badIndex}]` } }], input.functionConfig as KrmObject | undefined);
  }
  return run(items as KrmObject[], isObject(input.functionConfig) ? (input.functionConfig as KrmObject) : undefined);
}

function failure(items: KrmObject[], results: KrmResult[], functionConfig?: KrmObject): KrmOutcome {
  const output: ResourceList = { apiVersion: OUTPUT_API_VERSION, kind: 'ResourceList', items };
  if (functionConfig) output.functionConfig = functionConfig;
  output.results = results;
  return { output, ok: false, summary: results.filter((r) => r.severity === 'error').map(formatResult) };
}

function formatResult(r: KrmResult): string {
  const where = r.resourceRef ? `${r.resourceRef.kind} ${r.resourceRef.namespace ? `${r.resourceRef.namespace}/` : ''}${r.resourceRef.name}: ` : '';
  const field = r.field ? `${r.field.path}: ` : '';
  return `${r.severity}: ${where}${field}${r.message}`;
}

const isKind = (o: KrmObject, kind: string) => o.kind === kind;

/**
 * SecurityPolicies from functionConfig (the object itself, or a List of them, whatever their group: it
 * was handed to this function) and from items (this project's API group only: another project's
 * SecurityPolicy kind passes through untouched).
 */
function collectPolicies(items: KrmObject[], functionConfig: KrmObject | undefined): KrmObject[] {
  const byId = new Map<string, KrmObject>();
  const fromConfig = functionConfig
    ? isKind(functionConfig, 'SecurityPolicy') ? [functionConfig]
      : Array.isArray(functionConfig.items) ? (functionConfig.items as KrmObject[]).filter((o) => isObject(o) && isKind(o, 'SecurityPolicy'))
        : []
    : [];
  for (const p of fromConfig) byId.set(identity(p), p);
  for (const o of items) if (isOurSecurityPolicy(o)) byId.set(identity(o), o); // the package's copy wins
  return [...byId.values()];
}

/**
 * The parts of a Node the core reads (NodeLike), without copying them: those fields hold strings, so
 * numbers kept as written (NumberText) need no conversion there, and the core reads anything else in
 * them as malformed observed data.
 */
function nodeView(n: KrmObject): NodeLike {
  const status = isObject(n.status) ? n.status : {};
  return {
    metadata: { name: n.metadata?.name, labels: n.metadata?.labels },
    status: { addresses: status.addresses, conditions: status.conditions },
  } as NodeLike;
}

/**
 * A functionConfig of kind Input in this project's group (security.example.org/v1alpha1) sets options
 * for every SecurityPolicy among the items: `spec.target` and `spec.providerConfigRef` (`spec.ttl` is
 * Crossplane's only). Another version of it is an error naming functionConfig.apiVersion. Any other
 * functionConfig (a SecurityPolicy, a List of them, none) means the defaults.
 */
function isInput(functionConfig: KrmObject | undefined): boolean {
  return functionConfig?.kind === INPUT_KIND && typeof functionConfig.apiVersion === 'string' && functionConfig.apiVersion.startsWith(`${API_GROUP}/`);
}

function run(items: KrmObject[], functionConfig: KrmObject | undefined): KrmOutcome {
  let target: TargetOptions = {};
  if (isInput(functionConfig)) {
    const input = parseFunctionInput(plain(functionConfig), 'functionConfig');
    if (!input.ok) return failure(items, input.findings.map((f) => toResult(f, functionConfig)), functionConfig);
    target = input.options.target;
  }
  const shape = policyTarget(target);
  const policies = collectPolicies(items, functionConfig);
  if (policies.length === 0) {
    const foreign = items.some((o) => isKind(o, 'SecurityPolicy'));
    const hint = foreign ? ` (of apiVersion ${API_GROUP}/...: the SecurityPolicy items of other API groups are not this function's)` : '';
    return failure(items, [{ message: `no SecurityPolicy found: put one in functionConfig or among the items${hint}`, severity: 'error' }], functionConfig);
  }
  const nodeInputs = readNodeInputs<KrmObject>(items);
  const nodes = nodeInputs.nodes.map(nodeView);
  // Policies already among the items: the previous output (whenNoNodes: Keep, replaced in place) or a
  // hand-written one of the generated name (an error; the core tells them apart by the generated-from mark).
  const existingPolicies = items.filter((o) => o.kind === 'ComputeSecurityPolicy' || (o.kind === 'SecurityPolicy' && !isOurSecurityPolicy(o))).map(plain);
  const cloudPolicies: GeneratedPolicy[] = [];
  const results: KrmResult[] = [];
  const generated: Array<{ owner: KrmObject; objects: KubeObject[] }> = [];
  let ok = true;
  /** Which SecurityPolicy generates each object: two generating one object would overwrite each other. */
  const generatedBy = new Map<string, KrmObject>();

  for (const sp of policies) {
    const out = render({ securityPolicy: plain(sp), nodes, existingObjects: existingPolicies, nodeSnapshot: nodeInputs.snapshot, target });
    for (const f of out.findings) results.push(toResult(f as Finding, sp));
    if (out.findings.some((f) => f.severity === 'error')) {
      ok = false;
      continue;
    }
    const taken = out.objects.filter((o) => generatedBy.has(identity(o as KrmObject)));
    if (taken.length > 0) {
      for (const o of taken) {
        const other = generatedBy.get(identity(o as KrmObject))!;
        results.push(toResult({ severity: 'error', message: `generates ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}, which SecurityPolicy ${other.metadata?.namespace ? `${other.metadata.namespace}/` : ''}${other.metadata?.name} generates too; give each policy its own spec.policy.name and attachments` }, sp));
      }
      ok = false;
      continue;
    }
    // Two SecurityPolicies (two namespaces, say) naming one Cloud Armor policy would overwrite each other.
    const cloud: GeneratedPolicy = { owner: `SecurityPolicy ${sp.metadata?.namespace ? `${sp.metadata.namespace}/` : ''}${sp.metadata?.name ?? ''}`, policyName: out.status!.policyName, projectID: out.spec?.spec.policy?.projectID };
    const collision = policyCollision(cloudPolicies, cloud);
    if (collision) {
      results.push(toResult(collision, sp));
      ok = false;
      continue;
    }
    cloudPolicies.push(cloud);
    for (const o of out.objects) generatedBy.set(identity(o as KrmObject), sp);
    const s = out.status!;
    results.push(toResult({ severity: 'info', message: `generated ${shape.kind} ${s.policyName}: ${s.ruleCount} rules, ${s.rangeCount} ranges, ${s.nodeAddressCount} node addresses` }, sp));
    generated.push({ owner: sp, objects: out.objects });
  }

  if (!ok) {
    // Nothing half-done: the items leave exactly as they came, with the results saying why.
    return failure(items, results, functionConfig);
  }

  const output: ResourceList = { apiVersion: OUTPUT_API_VERSION, kind: 'ResourceList', items: upsert(items, generated) };
  if (functionConfig) output.functionConfig = functionConfig;
  output.results = results;
  return { output, ok: true, summary: [] };
}

function ownerKey(sp: KrmObject): string {
  return `SecurityPolicy/${sp.metadata?.namespace ? `${sp.metadata.namespace}/` : ''}${sp.metadata?.name ?? ''}`;
}

/** Annotation keys this function owns on what it generates; any other annotation on an item it
 * replaces (package layout, kpt's blueprint marker, a team's own) is kept. */
const OWNED_ANNOTATIONS = new Set([GENERATED_FROM_ANNOTATION, PROJECT_ANNOTATION]);

/**
 * The generated object with `before` annotations first and then its own, every key in the place it
 * already had: a re-run writes the same bytes whatever order other tools added their annotations in.
 */
function annotate(o: KubeObject, before: Record<string, string>, keptLabels?: Record<string, string>): KrmObject {
  const annotations: Record<string, string> = { ...before };
  for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) setOwn(annotations, k, v);
  const metadata: KrmObject['metadata'] = { ...o.metadata, annotations };
  if (keptLabels) metadata.labels = { ...keptLabels, ...(o.metadata.labels ?? {}) };
  return { ...o, metadata };
}

function keptAnnotations(existing: KrmObject, generated: KubeObject, mark: Record<string, string>): Record<string, string> {
  // Annotation keys are the user's: own-key checks and own-key writes, so that `constructor` or
  // `__proto__` is an annotation like any other, never Object.prototype's.
  const out: Record<string, string> = {};
  const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const [k, v] of Object.entries(existing.metadata?.annotations ?? {})) {
    if (OWNED_ANNOTATIONS.has(k) && !own(mark, k) && !own(generated.metadata.annotations ?? {}, k)) continue;
    setOwn(out, k, own(mark, k) ? mark[k]! : v);
  }
  return { ...out, ...mark };
}

/**
 * Replaces the items this function generated before, appends new ones under generated/<policy>.yaml,
 * prunes generated items that are no longer wanted, and patches (never replaces) attachments the user
 * wrote by hand, setting only the security policy field.
 */
function upsert(items: KrmObject[], generated: Array<{ owner: KrmObject; objects: KubeObject[] }>): KrmObject[] {
  const out = items.slice();
  const wanted = new Set<string>();
  const owners = new Set(generated.map((g) => ownerKey(g.owner)));
  const nextIndex = new Map<string, number>();
  for (const o of items) {
    const p = filePath(o);
    if (!p) continue;
    const i = Number(o.metadata?.annotations?.[INDEX_ANNOTATION] ?? o.metadata?.annotations?.[LEGACY_INDEX_ANNOTATION] ?? 0);
    nextIndex.set(p, Math.max(nextIndex.get(p) ?? 0, (Number.isInteger(i) ? i : 0) + 1));
  }

  for (const { owner, objects } of generated) {
    const mark = { [GENERATED_FROM_ANNOTATION]: ownerKey(owner) };
    const file = `generated/${objects[0]!.metadata.name}.yaml`;
    for (const obj of objects) {
      const id = identity(obj as KrmObject);
      wanted.add(id);
      const at = out.findIndex((o) => identity(o) === id);
      const existing = at >= 0 ? out[at]! : undefined;
      if (existing && !existing.metadata?.annotations?.[GENERATED_FROM_ANNOTATION] && !isPolicyManifest(obj)) {
        out[at] = attachToExisting(existing, obj);
        continue;
      }
      if (existing) {
        const replacement = annotate(obj, keptAnnotations(existing, obj, mark), existing.metadata?.labels);
        // Unchanged content keeps the very item it came as, so it is written back byte for byte.
        if (!isDeepStrictEqual(plain(existing), replacement)) out[at] = replacement;
        continue;
      }
      const index = nextIndex.get(file) ?? 0;
      nextIndex.set(file, index + 1);
      out.push(annotate(obj, {
        ...mark,
        [LEGACY_PATH_ANNOTATION]: file, [LEGACY_INDEX_ANNOTATION]: String(index),
        [PATH_ANNOTATION]: file, [INDEX_ANNOTATION]: String(index),
      }));
    }
  }
  return out.filter((o) => {
    const from = o.metadata?.annotations?.[GENERATED_FROM_ANNOTATION];
    return !from || !owners.has(from) || wanted.has(identity(o));
  });
}
