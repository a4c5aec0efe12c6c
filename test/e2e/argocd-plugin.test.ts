// The Argo CD plugin's commands, run the way the sidecar runs them: the sidecar image is Alpine, so
// `sh`, `find`, `awk` and `head` are BusyBox applets. The commands run under `busybox sh` with a PATH that
// holds only BusyBox applets (Debian's `busybox` package).
// - discover, on application folders with and without a SecurityPolicy of this project: Argo CD uses
//   the plugin when the command exits 0 with non-empty output;
// - generate, with a stand-in `security-policy` that prints its arguments: which cluster's Nodes it
//   reads for each setting of the Application's plugin env.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { API_GROUP } from '../../fn/core/api';
import { REPO, requireTool, run, tempDir } from './tools';

const busybox = requireTool('busybox');

/** A directory of symlinks, one per BusyBox applet: on PATH alone, every tool the command calls is BusyBox's. */
function busyboxPath(): string {
  const dir = tempDir('busybox-bin');
  const list = run(busybox, ['--list']);
  assert.equal(list.status, 0, list.stderr);
  for (const applet of list.stdout.split('\n').filter(Boolean)) fs.symlinkSync(busybox, path.join(dir, applet));
  return dir;
}

type Plugin = { spec: { discover: { find: { command: string[] } }; generate: { command: string[] } } };

function plugin(): Plugin {
  const cm = load(fs.readFileSync(path.join(REPO, 'examples/argocd/plugin.yaml'), 'utf8')) as { data: Record<string, string> };
  return load(cm.data['plugin.yaml']!) as Plugin;
}

function discoverCommand(): string[] {
  return plugin().spec.discover.find.command;
}

const bin = busyboxPath();

/** Runs the discover command in a folder made of `files`, as Argo CD would: in the app's directory. */
function discover(files: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const app = tempDir('argocd-app');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(app, rel)), { recursive: true });
    fs.writeFileSync(path.join(app, rel), content);
  }
  const [cmd, ...args] = discoverCommand();
  assert.equal(cmd, 'sh', 'the command starts with sh, which is BusyBox in the sidecar');
  const r = run(busybox, ['sh', ...args], { cwd: app, env: { PATH: bin } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ours = `apiVersion: ${API_GROUP}/v1alpha1\nkind: SecurityPolicy\nmetadata:\n  name: web\nspec:\n  defaultAction: deny(403)\n`;
const envoyGateway = 'apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: SecurityPolicy\nmetadata:\n  name: jwt\nspec: {}\n';
const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n';

test('discover: a folder with our SecurityPolicy is claimed, under BusyBox', () => {
  const r = discover({ 'service.yaml': service, 'security/policy.yaml': ours });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim(), './security/policy.yaml');
});

test('discover: a .yml file, a quoted apiVersion, kind before apiVersion and a later document are found', () => {
  const later = `${service}---\nkind: SecurityPolicy # ours\nmetadata:\n  name: web\napiVersion: "${API_GROUP}/v1alpha1"\n`;
  const r = discover({ 'all.yml': later });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), './all.yml');
});

test('discover: a folder without a SecurityPolicy is not claimed', () => {
  const r = discover({ 'service.yaml': service, 'README.md': 'kind: SecurityPolicy\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test("discover: Envoy Gateway's SecurityPolicy is not ours, even beside a document of our API group", () => {
  const snapshot = `apiVersion: ${API_GROUP}/v1alpha1\nkind: NodeSnapshot\nmetadata:\n  name: nodes\n`;
  const r = discover({ 'gateway.yaml': envoyGateway, 'mixed.yaml': `${envoyGateway}---\n${snapshot}` });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('discover: the command names the API group of fn/core/api.ts', () => {
  assert.ok(discoverCommand().join(' ').includes(API_GROUP.replace(/\./g, '\\.')), `the discover command must match ${API_GROUP}`);
});

/** Runs the generate command with `security-policy` replaced by a script printing its arguments. */
function generate(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const tools = tempDir('argocd-tools');
  for (const f of fs.readdirSync(bin)) fs.symlinkSync(busybox, path.join(tools, f));
  fs.writeFileSync(path.join(tools, 'security-policy'), '#!/bin/sh\necho "security-policy $*"\n', { mode: 0o755 });
  const [cmd, ...args] = plugin().spec.generate.command;
  assert.equal(cmd, 'sh');
  const r = run(busybox, ['sh', ...args], { cwd: tempDir('argocd-app'), env: { PATH: tools, ...env } });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

test('generate: by default, the Nodes of the cluster Argo CD runs in (in-cluster credentials)', () => {
  const r = generate({});
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'security-policy render --passthrough --nodes-from-cluster .');
});

test('generate: NODES_FROM_CLUSTER=false renders from the Node files in the repository', () => {
  const r = generate({ ARGOCD_ENV_NODES_FROM_CLUSTER: 'false' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'security-policy render --passthrough .');
});

test("generate: NODES_CLUSTER names the destination's kubeconfig, mounted from a Secret (hub and spoke)", () => {
  const r = generate({ ARGOCD_ENV_NODES_CLUSTER: 'prod-eu-1' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'security-policy render --passthrough --nodes-from-cluster --kubeconfig /kubeconfigs/prod-eu-1 .');
});

test('generate: a NODES_CLUSTER that is not a plain name is refused, naming the value', () => {
  for (const bad of ['../../var/run/secrets/token', 'a/b', 'Prod', '-x', 'a b']) {
    const r = generate({ ARGOCD_ENV_NODES_CLUSTER: bad });
    assert.notEqual(r.status, 0, bad);
    assert.equal(r.stdout, '', bad);
    assert.match(r.stderr, /NODES_CLUSTER/);
    assert.ok(r.stderr.includes(bad), r.stderr);
  }
});
