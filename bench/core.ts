// The pure core in process: normalize + aggregate + chunk 100,000 random CIDRs, and render a policy
// whose rules come from 15,000 Nodes' addresses. First call (cold JIT) reported apart from the median.
import { parseCidr, type Cidr } from '../fn/core/cidr';
import { render } from '../fn/core/render';
import { buildAllowRules } from '../fn/core/rules';
import { generateNodes, randomCidrs } from './inputs';
import { median, ms, quantile } from './stats';
import type { Row } from './table';

function time(fn: () => unknown, runs: number): { first: number; rest: number[] } {
  const t0 = performance.now();
  fn();
  const first = performance.now() - t0;
  const rest: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    rest.push(performance.now() - t);
  }
  return { first, rest };
}

function row(name: string, r: { first: number; rest: number[] }, note: string): Row {
  const m = median(r.rest);
  return {
    name,
    measured: `median ${ms(m)}, p95 ${ms(quantile(r.rest, 0.95))}, first ${ms(r.first)}`,
    target: '<= 150 ms',
    pass: m <= 150,
    note,
  };
}

export function core(opts: { runs: number; nodes: number }): Row[] {
  const texts = randomCidrs(100_000, 5, 0.1);
  const cidrs = time(() => {
    const parsed: Cidr[] = [];
    for (const t of texts) {
      const r = parseCidr(t);
      if (r.ok) parsed.push(r.cidr);
    }
    return buildAllowRules([{ name: 'bench', cidrs: parsed }], false);
  }, opts.runs);

  const nodes = generateNodes(opts.nodes, 9);
  const policy = {
    apiVersion: 'security.example.org/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name: 'nodes', namespace: 'team-web' },
    spec: { nodes: [{ name: 'all', addressTypes: ['ExternalIP', 'InternalIP'] }], limits: { maxRules: 10_000 } },
  };
  const rules = time(() => {
    const out = render({ securityPolicy: policy, nodes });
    if (out.objects.length === 0) throw new Error(`render failed: ${JSON.stringify(out.findings.slice(0, 3))}`);
    return out;
  }, opts.runs);

  return [
    row('Core: normalize+aggregate+chunk 100,000 CIDRs', cidrs, `10% IPv6; parseCidr each, then buildAllowRules; ${opts.runs} runs after the first`),
    row(`Core: render rules for ${opts.nodes.toLocaleString('en')} Nodes' addresses`, rules, `render() with one nodes entry (ExternalIP+InternalIP); ${opts.runs} runs after the first`),
  ];
}
