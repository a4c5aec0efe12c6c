// `render --nodes-from-cluster` against a loopback server that plays the Kubernetes API's
// GET /api/v1/nodes (with labelSelector), and its failures: 401, 403, 500, no answer, no kubeconfig.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { FIXTURES, loopback, runCli, sendJson, tempDir, writeKubeconfig, type Loopback } from './helpers';

type Node = { metadata: { name: string; labels: Record<string, string> } };
const NODES = (load(readFileSync(join(FIXTURES, 'nodes.yaml'), 'utf8')) as { items: Node[] }).items;

/** The subset of label selector syntax the test server understands: `k=v` terms joined by commas. */
function selects(selector: string | null, labels: Record<string, string>): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return labels[k!] === v;
  });
}

describe('render --nodes-from-cluster', () => {
  let mode: 'ok' | '401' | '403' | '500' | 'hang' | 'same-continue' | 'endless-continue' | 'slow-endless' = 'ok';
  let page = 0;
  let api: Loopback;
  let kubeconfig: string;
  const golden = readFileSync(join(__dirname, 'golden', 'web-allowlist.yaml'), 'utf8');

  before(async () => {
    api = await loopback((req, res, url) => {
      if (url.pathname !== '/api/v1/nodes' || req.method !== 'GET') return sendJson(res, 404, { kind: 'Status', code: 404, message: 'not found' });
      if (req.headers.authorization !== 'Bearer test-token') return sendJson(res, 401, { kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
      switch (mode) {
        case '401':
          return sendJson(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
        case '403':
          return sendJson(res, 403, {
            kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 403, reason: 'Forbidden',
            message: 'nodes is forbidden: User "system:serviceaccount:argocd:argocd-repo-server" cannot list resource "nodes" in API group "" at the cluster scope',
          });
        case '500':
          return sendJson(res, 500, { kind: 'Status', code: 500, message: 'etcdserver: request timed out' });
        case 'hang':
          return; // never answers; the CLI's --timeout must end the request
        case 'same-continue':
          // A broken API server (or proxy) that hands back the same continue token forever.
          return sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1', continue: 'again' }, items: [] });
        case 'endless-continue':
          // A new token every time, one Node per page: paging must still end.
          page++;
          return sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1', continue: `page-${page}` }, items: [{ ...NODES[0], metadata: { ...NODES[0]!.metadata, name: `node-${page}` } }] });
        case 'slow-endless':
          // Each page well within --timeout, but the listing as a whole never ends.
          page++;
          setTimeout(() => sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1', continue: `page-${page}` }, items: [] }), 100);
          return;
        default: {
          const items = NODES.filter((n) => selects(url.searchParams.get('labelSelector'), n.metadata.labels));
          return sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
        }
      }
    });
    kubeconfig = writeKubeconfig(tempDir(), api.url, ['test', 'other']);
  });
  after(() => api.close());

  const run = (extra: string[] = []) => runCli(['render', '--nodes-from-cluster', join(FIXTURES, 'policy.yaml'), ...extra], { env: { KUBECONFIG: kubeconfig } });

  it('lists Nodes with the selector applied server-side and renders the same as from files', async () => {
    mode = 'ok';
    api.requests.length = 0;
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, golden);
    assert.equal(api.requests.length, 1);
    assert.equal(api.requests[0]!.searchParams.get('labelSelector'), 'cloud.google.com/gke-nodepool=default-pool');
  });

  it('makes one unfiltered call when an entry selects every Node', async () => {
    mode = 'ok';
    api.requests.length = 0;
    const policy = readFileSync(join(FIXTURES, 'policy.yaml'), 'utf8').replace('  attach:', '    - name: all-nodes\n  attach:');
    const r = await runCli(['render', '--nodes-from-cluster', '-'], { input: policy, env: { KUBECONFIG: kubeconfig } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(api.requests.length, 1);
    assert.equal(api.requests[0]!.searchParams.get('labelSelector'), null);
    assert.match(r.stdout, /description: all-nodes 1\/1\n\s+match:\n\s+config:\n\s+srcIpRanges:\n\s+- 34\.82\.10\.1\/32\n\s+- 34\.82\.10\.2\/32\n\s+- 35\.200\.0\.9\/32\n/);
  });

  it('a live Node replaces the file Node of the same name (no stale address), and stderr says so', async () => {
    mode = 'ok';
    const dir = tempDir();
    const snapshot = join(dir, 'nodes.yaml');
    // The committed snapshot still holds an old address of a Node the live cluster now reports with another.
    writeFileSync(snapshot, readFileSync(join(FIXTURES, 'nodes.yaml'), 'utf8').replace('34.82.10.1', '34.82.99.99'));
    const r = await run([snapshot]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /34\.82\.99\.99/, 'the stale address of the file Node must not be allowed');
    assert.equal(r.stdout, golden);
    assert.match(r.stderr, /gke-prod-default-pool-a/);
    assert.match(r.stderr, /live cluster/);
  });

  it('a file Node the live cluster does not list is kept, with a warning naming it', async () => {
    mode = 'ok';
    const snapshot = join(tempDir(), 'nodes.yaml');
    const extra = '  - metadata:\n      name: gke-prod-default-pool-z\n      labels: {cloud.google.com/gke-nodepool: default-pool}\n    status:\n      addresses:\n        - {type: ExternalIP, address: 34.82.10.77}\n      conditions:\n        - {type: Ready, status: "True"}\n';
    writeFileSync(snapshot, readFileSync(join(FIXTURES, 'nodes.yaml'), 'utf8') + extra);
    const r = await run([snapshot]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /34\.82\.10\.77\/32/);
    assert.match(r.stderr, /^warning: 1 Node\(s\) from the input files are selected but the live cluster does not list them .*: gke-prod-default-pool-z$/m);
  });

  it('ends paging when the API repeats its continue token', async () => {
    mode = 'same-continue';
    api.requests.length = 0;
    const r = await run();
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*repeated the continue token of an earlier page/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.ok(api.requests.length <= 3, `${api.requests.length} requests`);
  });

  it('caps the pages of one listing when the API always returns a new continue token', async () => {
    mode = 'endless-continue';
    page = 0;
    api.requests.length = 0;
    const r = await run();
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*gave more than \d+ pages/m);
    assert.ok(api.requests.length <= 1000, `${api.requests.length} requests`);
  });

  it('caps the total time of a listing whose pages each come in time', async () => {
    mode = 'slow-endless';
    page = 0;
    const r = await run(['--timeout', '1s']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*did not finish listing Nodes within 10s \(10 x --timeout\)/m);
  });

  it('uses --context', async () => {
    mode = 'ok';
    const r = await run(['--context', 'other']);
    assert.equal(r.code, 0, r.stderr);
    const bad = await run(['--context', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--context nope: no such context in the kubeconfig \(contexts: test, other\)/);
  });

  it('401: says the credentials were rejected', async () => {
    mode = '401';
    const r = await run();
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: the Kubernetes API server http:\/\/127\.0\.0\.1:\d+ \(context test\) rejected the credentials \(401 Unauthorized\)/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('403: names the missing RBAC verb', async () => {
    mode = '403';
    const r = await run();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refused to list Nodes \(403 Forbidden\): nodes is forbidden/);
    assert.match(r.stderr, /RBAC verb "list" on "nodes"/);
  });

  it('500: reports the status and the API message', async () => {
    mode = '500';
    const r = await run();
    assert.equal(r.code, 1);
    assert.match(r.stderr, /answered 500 to GET \/api\/v1\/nodes\?labelSelector=cloud\.google\.com\/gke-nodepool=default-pool: etcdserver: request timed out/);
  });

  it('a server that never answers ends at --timeout', async () => {
    mode = 'hang';
    const r = await run(['--timeout', '300ms']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /did not answer within 0\.3s \(--timeout\)/);
  });

  it('an unreachable API server is a clear error', async () => {
    const closed = await loopback(() => undefined);
    const url = closed.url;
    await closed.close();
    const r = await runCli(['render', '--nodes-from-cluster', join(FIXTURES, 'policy.yaml')], { env: { KUBECONFIG: writeKubeconfig(tempDir(), url) } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: cannot reach the Kubernetes API server http:\/\/127\.0\.0\.1:\d+ \(context test\): /m);
    assert.match(r.stderr, /ECONNREFUSED/);
  });

  it('no kubeconfig and not in a Pod: says how to get one', async () => {
    const r = await runCli(['render', '--nodes-from-cluster', join(FIXTURES, 'policy.yaml')], { env: { KUBERNETES_SERVICE_HOST: undefined } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: no kubeconfig found for --nodes-from-cluster/m);
  });
});
