// The image runs dist/fn.js alone (`node /fn.js`, nothing beside it). Copy the bundle into an empty
// directory and check both modes of the one entry point: KRM on stdin with no arguments and no
// TLS_SERVER_CERTS_DIR, and the gRPC server under mutual TLS when the variable is set (with a large
// call, which the server hands to a child process running the same bundle).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import yaml from 'js-yaml';
import { realPublicNode } from '../helpers/nodes';
import { FN_JS, FnClient, hasOpenssl, makeCerts, runToEnd, startFunction, type Running } from './harness';

const XR = {
  apiVersion: 'security.example.org/v1alpha1',
  kind: 'SecurityPolicy',
  metadata: { name: 'web', namespace: 'team-web' },
  spec: { sources: [{ name: 'office', cidrs: ['203.0.113.0/24'] }], nodes: [{ name: 'all' }] },
};

describe('dist/fn.js alone in an empty directory', () => {
  let dir: string;
  let script: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-bundle-'));
    script = path.join(dir, 'fn.js');
    fs.copyFileSync(FN_JS, script);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('no arguments, no TLS_SERVER_CERTS_DIR, a ResourceList on stdin: the KRM function', async () => {
    const input = yaml.dump({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', functionConfig: XR, items: [realPublicNode()] });
    const r = await runToEnd([], { script, cwd: dir, input });
    assert.equal(r.code, 0, r.stderr);
    const out = yaml.load(r.stdout) as { kind: string; items: Array<{ kind: string; spec?: unknown }> };
    assert.equal(out.kind, 'ResourceList');
    const policy = out.items.find((i) => i.kind === 'ComputeSecurityPolicy');
    assert.ok(policy, r.stdout);
    assert.match(JSON.stringify(policy), /35\.192\.99\.255\/32/);
  });

  test('TLS_SERVER_CERTS_DIR set: the gRPC server with mutual TLS', { skip: !hasOpenssl() && 'openssl is not installed' }, async () => {
    const certs = path.join(dir, 'tls');
    fs.mkdirSync(certs);
    makeCerts(certs);
    let fn: Running | undefined;
    const read = (f: string) => fs.readFileSync(path.join(certs, f));
    const client = () => new FnClient(`localhost:${fn!.port}`, grpc.credentials.createSsl(read('ca.crt'), read('client.key'), read('client.crt')));
    try {
      // An explicit loopback address so this test never competes for :9443; server.test.ts checks
      // the no-argument start.
      fn = await startFunction(['serve', '--address', '127.0.0.1:0'], { script, cwd: dir, env: { TLS_SERVER_CERTS_DIR: certs } });
      const c = client();
      try {
        const rsp = await c.run({ tag: 'tls', observed: { composite: { resource: XR } }, extra_resources: { 'nodes-all': [realPublicNode()] } });
        assert.match(JSON.stringify(rsp.desired), /35\.192\.99\.255\/32/);
        // A request of 4 MiB or more runs in the call process: the same lone bundle, started by it.
        const note = 'x'.repeat(5 * 2 ** 20);
        const large = await c.run({ tag: 'large', observed: { composite: { resource: XR } }, extra_resources: { 'nodes-all': [realPublicNode()] }, context: { note } });
        assert.equal((large.meta as { tag: string }).tag, 'large');
        assert.match(JSON.stringify(large.desired), /35\.192\.99\.255\/32/);
        assert.equal((large.context as { note: string }).note.length, note.length, 'the context is passed back whole');
      } finally {
        c.close();
      }
    } finally {
      await fn?.stop();
    }
  });
});
