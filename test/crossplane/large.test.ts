// GKE's maximum cluster size: 15,000 realistic Nodes (about 40 status.images each, as Crossplane
// sends them whole) in one RunFunction request, well past gRPC's default 4 MiB receive limit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateNodes } from '../helpers/nodes';
import { encodeRequest, encodeResourcesEntry, serveForSuite } from './harness';

const COUNT = 15_000;
const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'egress', namespace: 'team-web' },
  spec: { nodes: [{ name: 'all' }], limits: { maxRules: 2000 } },
};

describe(`${COUNT.toLocaleString('en')} Nodes`, () => {
  const suite = serveForSuite();

  test('one request with every Node of the cluster is accepted and every Ready ExternalIP is allowed', async () => {
    const nodes = generateNodes(COUNT, 15);
    const expected = new Set<string>();
    for (const n of nodes) {
      if (!n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      for (const a of n.status.addresses) if (a.type === 'ExternalIP') expected.add(`${a.address}/32`);
    }
    const request = Buffer.concat([
      encodeRequest({ tag: 'big', capabilities: [1, 2], observed: { composite: { resource: XR } } }),
      encodeResourcesEntry(8, 'nodes-all', nodes),
    ]);
    nodes.length = 0;
    assert.ok(request.length > 100 * 1024 * 1024, `request is ${(request.length / 2 ** 20).toFixed(1)} MiB`);

    const rsp = await suite.client.run(request);
    const desired = rsp.desired as { composite: { resource: { status: Record<string, number> } }; resources: Record<string, { resource: { spec: { rule: Array<{ match: { config: { srcIpRanges: string[] } } }> } } }> };
    assert.deepStrictEqual(rsp.results, []);
    const status = desired.composite.resource.status;
    assert.equal(status.nodeAddressCount, expected.size);
    const allowed = new Set(desired.resources['security-policy']!.resource.spec.rule.flatMap((r) => r.match.config.srcIpRanges));
    allowed.delete('*');
    // The core aggregates adjacent addresses, so compare counts of addresses, not strings.
    const size = (cidr: string) => 2 ** (32 - Number(cidr.split('/')[1]));
    assert.equal([...allowed].reduce((n, c) => n + size(c), 0), expected.size);
  });
});
