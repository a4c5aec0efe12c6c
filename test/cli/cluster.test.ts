// `render --nodes-from-cluster` against a loopback server that plays the Kubernetes API's
// GET /api/v1/nodes (with labelSelector), and its failures: 401, 403, 500, no answer, no kubeconfig.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
  let mode: 'ok' | '401' | '403' | '500' | 'hang' = 'ok';
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
        default: {
          const items = NODES.filter((n) => selects(url.searchParams.get('labelSelector'), n.metadata.labels));
          return sendJson(res, 200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
        }
      }
    });
    kubeconfig = writeKubeconfig(tempDir(), api.url, ['test', 'other']);
  });
  after(() => api.close());

  const run = (extra: string[] = []) => runCli(['render', '--nodes-from-cluster', ...extra, join(FIXTURES, 'policy.yaml')], { env: { KUBECONFIG: kubeconfig } });

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
