// The GitOps examples: they parse, the RBAC grants exactly `list nodes`, and the Argo CD plugin's
// generate command works with this CLI on a directory (Node files instead of the live cluster).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { load, loadAll } from 'js-yaml';
import { CLI, FIXTURES, ROOT, tempDir } from './helpers';

const read = (f: string) => readFileSync(join(ROOT, 'examples', f), 'utf8');

describe('GitOps examples', () => {
  it('every file parses as YAML', () => {
    for (const f of ['argocd/plugin.yaml', 'argocd/repo-server-patch.yaml', 'argocd/rbac.yaml', 'argocd/application.yaml', 'ci/github-actions.yaml']) {
      assert.ok(loadAll(read(f)).length > 0, f);
    }
  });

  it('the RBAC grants list on nodes to the repo-server service account, nothing more', () => {
    const [role, binding] = loadAll(read('argocd/rbac.yaml')) as Array<Record<string, any>>;
    assert.deepEqual(role!.rules, [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
    assert.deepEqual(binding!.subjects, [{ kind: 'ServiceAccount', name: 'argocd-repo-server', namespace: 'argocd' }]);
  });

  it('the plugin generate command renders an application directory', () => {
    const cm = load(read('argocd/plugin.yaml')) as { data: Record<string, string> };
    const plugin = load(cm.data['plugin.yaml']!) as { metadata: { name: string }; spec: { version: string; generate: { command: string[] } } };
    const app = load(read('argocd/application.yaml')) as { spec: { source: { plugin: { name: string } } } };
    assert.equal(app.spec.source.plugin.name, `${plugin.metadata.name}-${plugin.spec.version}`);

    const bin = tempDir();
    writeFileSync(join(bin, 'security-policy'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'security-policy'), 0o755);
    const repo = tempDir();
    for (const f of ['policy.yaml', 'nodes.yaml', 'app.yaml']) copyFileSync(join(FIXTURES, f), join(repo, f));
    const [cmd, ...args] = plugin.spec.generate.command;
    const r = spawnSync(cmd!, args, { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { PATH: `${bin}:${process.env.PATH}`, HOME: repo, ARGOCD_ENV_NODES_FROM_CLUSTER: 'false' } });
    assert.equal(r.status, 0, r.stderr);
    const kinds = loadAll(r.stdout).map((d) => (d as { kind: string }).kind);
    assert.deepEqual(kinds, ['ComputeSecurityPolicy', 'BackendConfig', 'Service']);
    assert.match(r.stdout, /34\.82\.10\.1\/32/);
  });
});
