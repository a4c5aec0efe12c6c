// `security-policy plan`: what render would change in the live Cloud Armor policy.
// Exit 0 no changes, 2 changes pending (including a policy that does not exist yet), 1 error.
import { generatedFromMark, intendedPolicyName, render } from '../core';
import { parse, parseDuration } from './args';
import { COLOR, diffPolicy, formatDiff, PLAIN, type PolicyDiff } from './diff';
import { PLAN_HELP } from './help';
import { CliError, objectName, readInputs, type Located } from './io';
import type { LiveResult } from './live-policy';
import { asPreviousPolicy, policyView } from './policy-model';
import { gatherNodes, inputContext, NODE_SOURCE_OPTIONS, renderAll } from './render';
import { stderrReporter } from './report';

export const EXIT_NO_CHANGES = 0;
export const EXIT_CHANGES = 2;

/** --project, then the SecurityPolicy's projectID, then the usual environment variables. */
export function projectFor(doc: Located['doc'], flag: string | undefined): string {
  const fromSpec = (doc.spec as { policy?: { projectID?: unknown } } | undefined)?.policy?.projectID;
  const project = flag ?? (typeof fromSpec === 'string' ? fromSpec : undefined) ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.CLOUDSDK_CORE_PROJECT;
  if (!project) throw new CliError(`SecurityPolicy ${objectName(doc)}: no project; pass --project, set spec.policy.projectID, or set GOOGLE_CLOUD_PROJECT`);
  return project;
}

export async function planMain(argv: string[]): Promise<number> {
  const { values, positionals } = parse('plan', argv, {
    ...NODE_SOURCE_OPTIONS,
    project: { type: 'string' },
    output: { type: 'string', default: 'text' },
    'no-color': { type: 'boolean' },
    'api-endpoint': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(PLAN_HELP);
    return 0;
  }
  if (values.output !== 'text' && values.output !== 'json') throw new CliError(`--output ${JSON.stringify(values.output)}: expected text or json`);
  if (positionals.length === 0) throw new CliError('plan needs at least one file, directory or - (stdin)\nrun "security-policy plan --help" for usage');
  const timeoutMs = parseDuration(values.timeout ?? '30s', '--timeout');

  const inputs = readInputs(positionals);
  // Invalid input fails before any API call: renderAll reports every error with its field path.
  const invalid = (p: Located) => render({ securityPolicy: p.doc, nodes: [] }).findings.some((f) => f.severity === 'error');
  if (inputs.securityPolicies.length === 0 || inputs.securityPolicies.some(invalid)) {
    renderAll(inputs.securityPolicies, [], () => undefined);
  }
  const nodes = await gatherNodes(inputs, values);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getLivePolicy } = require('./live-policy') as typeof import('./live-policy');
  const live = new Map<string, { project: string; result: LiveResult }>();
  for (const p of inputs.securityPolicies) {
    const name = intendedPolicyName(p.doc)!;
    if (live.has(name)) continue;
    const project = projectFor(p.doc, values.project);
    live.set(name, { project, result: await getLivePolicy(project, name, { apiEndpoint: values['api-endpoint'], timeoutMs }) });
  }

  // The previous output for whenNoNodes: Keep is a ComputeSecurityPolicy among the inputs (the core
  // finds it), else the live policy. The live policy carries no annotation: it counts as this
  // SecurityPolicy's output only when its description is the one this SecurityPolicy generates, and
  // the core still takes back only rules this function writes (allow, preview as the spec says...).
  const rendered = renderAll(inputs.securityPolicies, nodes, (name) => {
    const l = name === undefined ? undefined : live.get(name)?.result;
    const source = inputs.securityPolicies.find((p) => intendedPolicyName(p.doc) === name);
    if (!l?.found || !source) return undefined;
    const view = policyView(l.policy);
    const wanted = (render({ securityPolicy: source.doc, nodes: [] }).objects[0]?.spec as { description?: unknown } | undefined)?.description;
    return asPreviousPolicy(view, view.description === wanted ? generatedFromMark(source.doc as { metadata?: { name?: unknown; namespace?: unknown } }) : undefined);
  }, {}, inputContext(inputs, values));

  const diffs: PolicyDiff[] = rendered.map((r) => {
    const l = live.get(r.policyName)!;
    return diffPolicy(policyView(r.objects[0]), l.result.found ? policyView(l.result.policy) : undefined, l.project);
  });
  for (const d of diffs) for (const w of d.warnings) stderrReporter.warn(`${d.policy}: ${w}`);
  const hasChanges = diffs.some((d) => d.hasChanges);

  if (values.output === 'json') {
    process.stdout.write(`${JSON.stringify({ hasChanges, policies: diffs }, null, 2)}\n`);
  } else {
    const color = !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
    process.stdout.write(diffs.map((d) => formatDiff(d, color ? COLOR : PLAIN)).join('\n'));
  }
  return hasChanges ? EXIT_CHANGES : EXIT_NO_CHANGES;
}
