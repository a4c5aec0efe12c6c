// `security-policy nodes`: kubectl's Node output or the live cluster in, a deterministic Node snapshot
// out (NodeSnapshot marker, then one trimmed local-config core v1 Node per document, sorted by name).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump, load, loadAll } from 'js-yaml';
import { FIXTURES, ROOT, loopback, runCli, sendJson, tempDir, writeKubeconfig, type Loopback } from './helpers';

type Obj = Record<string, unknown>;
const GOLDEN = join(__dirname, 'golden', 'nodes-snapshot.yaml');

/** Full Node objects as `kubectl get nodes -o yaml` prints them: a GKE sample plus the CLI fixtures. */
function kubectlNodes(): Obj[] {
  const gke = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'gke-nodes', 'gke-node-sample-1-public-preemptible.json'), 'utf8')) as Obj;
  const fixtures = (load(readFileSync(join(FIXTURES, 'nodes.yaml'), 'utf8')) as { items: Obj[] }).items;
  const noisy = fixtures.map((n, i) => ({
    ...n,
    metadata: { ...(n.metadata as Obj), uid: `uid-${i}`, resourceVersion: `${1000 + i}`, creationTimestamp: '2026-01-02T03:04:05Z', annotations: { 'node.alpha.kubernetes.io/ttl': '0' } },
    spec: { podCIDR: `10.4.${i}.0/24`, providerID: `gce://p/z/n${i}` },
    status: {
      ...(n.status as Obj),
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: '2026-01-02T03:04:05Z' },
        ...((n.status as { conditions: Obj[] }).conditions.map((c) => ({ ...c, lastHeartbeatTime: '2026-01-02T03:04:05Z', reason: 'KubeletReady' }))),
      ],
      nodeInfo: { kubeletVersion: 'v1.33.1-gke.1' },
    },
  }));
  return [...noisy, gke].map((n) => ({ apiVersion: 'v1', kind: 'Node', ...n }));
}

const kubectlList = (items: Obj[] = kubectlNodes()) => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });

function file(text: string, name = 'in.yaml'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('security-policy nodes', () => {
  it('turns a kubectl List (YAML) into the golden snapshot', async () => {
    const r = await runCli(['nodes', file(dump(kubectlList()))]);
    assert.equal(r.code, 0, r.stderr);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, r.stdout);
    assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
    const docs = loadAll(r.stdout) as Obj[];
    assert.deepEqual(docs[0], {
      apiVersion: 'security.example.org/v1alpha1',
      kind: 'NodeSnapshot',
      metadata: { name: 'nodes', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      nodeCount: 5,
    });
    const nodes = docs.slice(1) as Array<{ apiVersion: string; kind: string; metadata: { name: string; annotations: Obj }; status: Obj }>;
    assert.equal(nodes.length, 5);
    assert.deepEqual(nodes.map((n) => n.metadata.name), [...nodes.map((n) => n.metadata.name)].sort());
    for (const n of nodes) {
      assert.equal(n.apiVersion, 'v1');
      assert.equal(n.kind, 'Node');
      assert.deepEqual(n.metadata.annotations, { 'config.kubernetes.io/local-config': 'true' });
      assert.deepEqual(Object.keys(n), ['apiVersion', 'kind', 'metadata', 'status']);
      assert.deepEqual(Object.keys(n.status).filter((k) => k !== 'conditions'), ['addresses']);
    }
    assert.doesNotMatch(r.stdout, /Timestamp|Time:|resourceVersion|uid:|MemoryPressure|podCIDR|nodeInfo|\d{4}-\d\d-\d\dT/);
  });

  it('gives the same bytes from JSON on stdin, from an API NodeList and in any input order', async () => {
    const golden = readFileSync(GOLDEN, 'utf8');
    const json = await runCli(['nodes', '-'], { input: JSON.stringify(kubectlList()) });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout, golden);
    const apiList = { apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: kubectlNodes().reverse().map(({ apiVersion: _a, kind: _k, ...n }) => n) };
    const nodeList = await runCli(['nodes', file(JSON.stringify(apiList), 'nodes.json')]);
    assert.equal(nodeList.code, 0, nodeList.stderr);
    assert.equal(nodeList.stdout, golden);
  });

  it('keeps every label as written, prototype-like keys included (a label is never a prototype)', async () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: n1\n    labels:\n      __proto__: a\n      constructor: b\n      pool: c\n  status:\n    addresses: [{type: ExternalIP, address: 203.0.113.9}]\n    conditions: [{type: Ready, status: "True"}]\n';
    const r = await runCli(['nodes', file(text)]);
    assert.equal(r.code, 0, r.stderr);
    const node = (loadAll(r.stdout) as Obj[])[1] as { metadata: { labels: Obj } };
    assert.deepEqual(Object.keys(node.metadata.labels), ['__proto__', 'constructor', 'pool']);
  });

  it('re-reading a snapshot gives it back unchanged', async () => {
    const r = await runCli(['nodes', GOLDEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
  });

  it('takes only core v1 Nodes: a Node of another group and other kinds are named and skipped', async () => {
    const foreign = { apiVersion: 'example.com/v1', kind: 'Node', metadata: { name: 'aaa-not-a-node' }, status: { addresses: [{ type: 'ExternalIP', address: '6.6.6.6' }] } };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } };
    const r = await runCli(['nodes', '-'], { input: JSON.stringify(kubectlList([...kubectlNodes(), foreign, cm])) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
    assert.doesNotMatch(r.stdout, /6\.6\.6\.6/);
    assert.match(r.stderr, /^warning: skipped 2 object\(s\) that are not core v1 Nodes: .*example\.com\/v1 Node.*v1 ConfigMap/m);
  });

  it('an empty List is the explicit empty snapshot: the marker alone, nodeCount 0', async () => {
    const r = await runCli(['nodes', '-'], { input: dump(kubectlList([])) });
    assert.equal(r.code, 0, r.stderr);
    const docs = loadAll(r.stdout) as Obj[];
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.kind, 'NodeSnapshot');
    assert.equal(docs[0]!.nodeCount, 0);
  });

  it('an empty input is an error, not an empty snapshot (kubectl failed)', async () => {
    const r = await runCli(['nodes', '-'], { input: '' });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: <stdin>: no v1 List, NodeList or Node found/m);
  });

  it('--name names the marker; a bad name is refused', async () => {
    const r = await runCli(['nodes', '--name', 'prod-nodes', GOLDEN]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((loadAll(r.stdout)[0] as { metadata: { name: string } }).metadata.name, 'prod-nodes');
    const bad = await runCli(['nodes', '--name', 'Prod Nodes', GOLDEN]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: --name "Prod Nodes": expected a lowercase RFC 1123 name/m);
  });

  it('malformed Nodes and names given twice are errors naming the field path and value', async () => {
    const nodes = kubectlNodes();
    (nodes[1]!.status as Obj).addresses = 'not-a-list';
    (nodes[2]!.metadata as Obj).name = 42;
    nodes.push(structuredClone(nodes[0]!));
    const r = await runCli(['nodes', '-'], { input: JSON.stringify(kubectlList(nodes)) });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: <stdin> items\[1\]: status\.addresses: expected a list, found "not-a-list"$/m);
    assert.match(r.stderr, /^error: <stdin> items\[2\]: metadata\.name: expected a Node name, found 42$/m);
    assert.match(r.stderr, /^error: Node name\(s\) given more than once.*gke-prod-default-pool-a/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('-o FILE writes the snapshot; a run that fails leaves the file as it was', async () => {
    const dir = tempDir();
    const out = join(dir, 'nodes.yaml');
    const r = await runCli(['nodes', '-o', out, '-'], { input: dump(kubectlList()) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), readFileSync(GOLDEN, 'utf8'));
    assert.match(r.stderr, /wrote .*nodes\.yaml: 5 Node\(s\)/);
    const failed = await runCli(['nodes', '-o', out, '-'], { input: '' });
    assert.equal(failed.code, 1);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(GOLDEN, 'utf8'));
    const noDir = await runCli(['nodes', '-o', join(dir, 'missing', 'nodes.yaml'), GOLDEN]);
    assert.equal(noDir.code, 1);
    assert.match(noDir.stderr, /^error: cannot write .*missing\/nodes\.yaml: no such file or directory/m);
    assert.equal(existsSync(join(dir, 'missing')), false);
  });

  it('the snapshot renders exactly as the Node files it was made from', async () => {
    const snap = await runCli(['nodes', join(FIXTURES, 'nodes.yaml')]);
    assert.equal(snap.code, 0, snap.stderr);
    const r = await runCli(['render', join(FIXTURES, 'policy.yaml'), file(snap.stdout)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(__dirname, 'golden', 'web-allowlist.yaml'), 'utf8'));
  });

  it('FILE and --nodes-from-cluster together, or neither, are usage errors', async () => {
    const both = await runCli(['nodes', '--nodes-from-cluster', GOLDEN]);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /not both/);
    const none = await runCli(['nodes']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /nodes needs FILE, - \(stdin\) or --nodes-from-cluster/);
  });
});

describe('security-policy nodes --nodes-from-cluster', () => {
  let items: Obj[] = [];
  let api: Loopback;
  let kubeconfig: string;
  before(async () => {
    api = await loopback((req, res, url) => {
      if (url.pathname !== '/api/v1/nodes') return sendJson(res, 404, { kind: 'Status', code: 404 });
      return sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items });
    });
    kubeconfig = writeKubeconfig(tempDir(), api.url);
  });
  after(() => api.close());

  it('snapshots every live Node with one unfiltered listing, the same bytes as from kubectl output', async () => {
    items = kubectlNodes().map(({ apiVersion: _a, kind: _k, ...n }) => n);
    api.requests.length = 0;
    const r = await runCli(['nodes', '--nodes-from-cluster'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
    assert.equal(api.requests.length, 1);
    assert.equal(api.requests[0]!.searchParams.get('labelSelector'), null);
  });

  it('a cluster without Nodes gives the marker alone', async () => {
    items = [];
    const r = await runCli(['nodes', '--nodes-from-cluster'], { env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    const docs = loadAll(r.stdout) as Obj[];
    assert.deepEqual(docs.map((d) => [d.kind, d.nodeCount]), [['NodeSnapshot', 0]]);
  });
});
