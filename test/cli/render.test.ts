// `security-policy render` through the bundled CLI: golden output, stdin, ResourceLists, -o DIR,
// errors, --passthrough, help texts and the lazy loading of the API clients.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load, loadAll } from 'js-yaml';
import { FIXTURES, runCli, tempDir } from './helpers';

const GOLDEN = join(__dirname, 'golden');
const fixture = (name: string) => join(FIXTURES, name);

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff before committing). */
function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${file}`);
}

describe('render', () => {
  it('renders a SecurityPolicy with Node files to the golden manifests', async () => {
    const r = await runCli(['render', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assertGolden('web-allowlist.yaml', r.stdout);
  });

  it('gives byte-identical output whatever the order of the inputs', async () => {
    const a = await runCli(['render', fixture('nodes.yaml'), fixture('policy.yaml')]);
    const b = await runCli(['render', fixture('policy.yaml'), fixture('nodes.yaml')]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout);
  });

  it('reads Nodes as JSON from stdin (kubectl get nodes -o json)', async () => {
    const nodes = load(readFileSync(fixture('nodes.yaml'), 'utf8'));
    const r = await runCli(['render', fixture('policy.yaml'), '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: (nodes as { items: object[] }).items.map((n) => ({ apiVersion: 'v1', kind: 'Node', ...n })) }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(GOLDEN, 'web-allowlist.yaml'), 'utf8'));
  });

  it('reads a KRM ResourceList (SecurityPolicy as functionConfig, Nodes as items)', async () => {
    const policy = load(readFileSync(fixture('policy.yaml'), 'utf8'));
    const nodes = (load(readFileSync(fixture('nodes.yaml'), 'utf8')) as { items: object[] }).items.map((n) => ({ apiVersion: 'v1', kind: 'Node', ...n }));
    const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', functionConfig: policy, items: nodes };
    const r = await runCli(['render', '-'], { input: JSON.stringify(list) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(GOLDEN, 'web-allowlist.yaml'), 'utf8'));
  });

  it('reads a directory and writes one file per policy with -o', async () => {
    const out = tempDir();
    const r = await runCli(['render', '-o', out, FIXTURES + '/policy.yaml', FIXTURES + '/nodes.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(out), ['web-allowlist.yaml']);
    assert.equal(readFileSync(join(out, 'web-allowlist.yaml'), 'utf8'), readFileSync(join(GOLDEN, 'web-allowlist.yaml'), 'utf8'));
  });

  it('renders every policy of a directory', async () => {
    const r = await runCli(['render', join(FIXTURES, 'dir')]);
    assert.equal(r.code, 0, r.stderr);
    assertGolden('dir.yaml', r.stdout);
  });

  it('fails with the field path and the value, no stack trace and nothing on stdout', async () => {
    const r = await runCli(['render', fixture('invalid.yaml')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: .*invalid\.yaml: SecurityPolicy broken: spec\.sources\[0\]\.cidrs\[1\]: "10\.0\.0\.300"/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('reports schema errors with the path', async () => {
    const r = await runCli(['render', '-'], { input: 'apiVersion: security.example.org/v1alpha1\nkind: SecurityPolicy\nmetadata: {name: x}\nspec: {defaultAction: deny(500)}\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /spec\.defaultAction: "deny\(500\)" is invalid/);
  });

  it('warns on stderr and still renders', async () => {
    // A cluster with no Node, said explicitly (without the NodeSnapshot, no Node at all is an error).
    const r = await runCli(['render', fixture('policy.yaml'), '-'], { input: 'apiVersion: security.example.org/v1alpha1\nkind: NodeSnapshot\nmetadata: {name: nodes}\nnodeCount: 0\n' });
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^warning: .*nodes entry gke-egress matched no Ready Node/m);
    assert.match(r.stdout, /kind: ComputeSecurityPolicy/);
  });

  it('fails clearly on a missing file, unreadable YAML and no SecurityPolicy', async () => {
    let r = await runCli(['render', fixture('does-not-exist.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does-not-exist\.yaml: no such file or directory/);
    r = await runCli(['render', '-'], { input: 'kind: [unclosed' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /<stdin>: not valid YAML or JSON/);
    r = await runCli(['render', fixture('nodes.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no SecurityPolicy found/);
    r = await runCli(['render', '--bogus', fixture('policy.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--bogus/);
    assert.match(r.stderr, /security-policy render --help/);
  });

  it('--passthrough emits the other input objects unchanged after the generated ones', async () => {
    const r = await runCli(['render', '--passthrough', fixture('policy.yaml'), fixture('nodes.yaml'), fixture('app.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    const docs = r.stdout.split(/^---$/m).map((d) => load(d) as { kind: string; spec?: unknown });
    assert.deepEqual(docs.map((d) => d.kind), ['ComputeSecurityPolicy', 'BackendConfig', 'Service']);
    // The team's own BackendConfig is pointed at the policy, its other settings kept (as under KRM).
    assert.deepEqual(docs[1]!.spec, { timeoutSec: 40, securityPolicy: { name: 'web-allowlist' } });
    assert.equal(r.stderr, '');
  });

  it('--passthrough writes numbers the way they were written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'odd.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\ndata: {}\nspec: {hex: 0x1F, float: 1.0, big: 12345678901234567890}\n');
    const r = await runCli(['render', '--passthrough', fixture('policy.yaml'), fixture('nodes.yaml'), join(dir, 'odd.yaml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /hex: 0x1F\n  float: 1.0\n  big: 12345678901234567890\n/);
  });
});

describe('help', () => {
  it('lists the commands with examples', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await runCli(args);
      assert.equal(r.code, 0);
      for (const c of ['render', 'plan', 'import']) assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'));
      assert.match(r.stdout, /Examples:/);
    }
  });

  it('documents the flags of each command', async () => {
    const expected: Record<string, string[]> = {
      render: ['--output', '--nodes-from-cluster', '--context', '--kubeconfig', '--passthrough', '--timeout'],
      plan: ['--project', '--output', '--no-color', '--nodes-from-cluster', '--api-endpoint', 'Exit codes'],
      import: ['--project', '--policy', '--from', '--name', '--namespace', '--output'],
    };
    for (const [command, flags] of Object.entries(expected)) {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      for (const f of flags) assert.ok(r.stdout.includes(f), `${command} --help lacks ${f}`);
    }
  });

  it('rejects an unknown command', async () => {
    const r = await runCli(['deploy']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command "deploy"/);
  });
});

describe('loading discipline', () => {
  const hook = ['--require', fixture('record-loads.cjs')];
  const loaded = (stderr: string): string[] => JSON.parse(/\[loaded-clients\] (.*)/.exec(stderr)![1]!);

  it('--help and render (without --nodes-from-cluster) load neither API client', async () => {
    for (const args of [['--help'], ['render', '--help'], ['plan', '--help'], ['import', '--help'], ['render', fixture('policy.yaml'), fixture('nodes.yaml')]]) {
      const r = await runCli(args, { nodeArgs: hook });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(loaded(r.stderr), [], `${args.join(' ')} loaded an API client`);
    }
  });

  it('the hook does see a client when a command needs one', async () => {
    const r = await runCli(['render', '--nodes-from-cluster', fixture('policy.yaml')], { nodeArgs: hook });
    assert.equal(r.code, 1); // no kubeconfig in the test environment
    assert.deepEqual(loaded(r.stderr), ['@kubernetes/client-node']);
  });
});

describe('render on the kpt examples', () => {
  const root = join(__dirname, '..', '..', 'examples', 'kpt');
  let examples: string[] = [];
  try {
    examples = readdirSync(root).filter((d) => readdirSync(join(root, d)).includes('securitypolicy.yaml')).sort();
  } catch {
    // no examples in this checkout
  }
  type Obj = { kind: string; metadata: { name: string }; spec: unknown };
  for (const example of examples) {
    it(`${example}: golden output, and the same objects as the KRM function's expected output`, async () => {
      const r = await runCli(['render', join(root, example)]);
      assert.equal(r.code, 0, r.stderr);
      assertGolden(`kpt-${example}.yaml`, r.stdout);
      const expectedDir = join(__dirname, '..', 'e2e', 'expected', 'kpt', example, 'generated');
      const expected = readdirSync(expectedDir).flatMap((f) => loadAll(readFileSync(join(expectedDir, f), 'utf8')) as Obj[]);
      const actual = loadAll(r.stdout) as Obj[];
      const key = (o: Obj) => `${o.kind}/${o.metadata.name}`;
      assert.deepEqual(actual.map(key).sort(), expected.map(key).sort());
      for (const o of actual) assert.deepEqual(o.spec, expected.find((e) => key(e) === key(o))!.spec, key(o));
    });
  }
});
