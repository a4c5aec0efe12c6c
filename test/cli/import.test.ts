// `security-policy import`: round trip through render, a gcloud JSON file, and the live API (loopback)
// with rules it cannot express, 404 and 403.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'js-yaml';
import { toDnsLabel } from '../../fn/cli/import';
import { computeDouble, restFromManifest, type ComputeDouble } from './compute';
import { FIXTURES, runCli, tempDir } from './helpers';

const GOLDEN = join(__dirname, 'golden');
const firstDoc = (text: string) => text.split(/^---$/m)[0]!;

describe('import', () => {
  let api: ComputeDouble;
  before(async () => {
    api = await computeDouble();
  });
  after(() => api.close());

  it('round trip: import(render(x)) renders back the same policy', async () => {
    for (const golden of ['web-allowlist.yaml', 'dir.yaml']) {
      for (const manifest of readFileSync(join(GOLDEN, golden), 'utf8').split(/^---\n/m).filter((d) => d.includes('kind: ComputeSecurityPolicy'))) {
        const dir = tempDir();
        writeFileSync(join(dir, 'manifest.yaml'), manifest);
        const imported = await runCli(['import', '--from', join(dir, 'manifest.yaml'), '-o', join(dir, 'policy.yaml')]);
        assert.equal(imported.code, 0, imported.stderr);
        assert.doesNotMatch(imported.stderr, /not imported exactly/);
        const again = await runCli(['render', join(dir, 'policy.yaml')]);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(firstDoc(again.stdout), manifest.endsWith('\n') ? manifest : `${manifest}\n`);
      }
    }
  });

  it('round trip through the live API', async () => {
    const manifest = load(firstDoc(readFileSync(join(GOLDEN, 'web-allowlist.yaml'), 'utf8'))) as Parameters<typeof restFromManifest>[0];
    api.policies.set('web-allowlist', restFromManifest(manifest));
    const r = await runCli(['import', '--api-endpoint', api.url, '--project', 'my-gcp-project', '--policy', 'web-allowlist', '--namespace', 'team-web']);
    assert.equal(r.code, 0, r.stderr);
    const dir = tempDir();
    writeFileSync(join(dir, 'policy.yaml'), r.stdout);
    const again = await runCli(['render', join(dir, 'policy.yaml')]);
    assert.equal(firstDoc(again.stdout), firstDoc(readFileSync(join(GOLDEN, 'web-allowlist.yaml'), 'utf8')));
    // and plan agrees: adopting the imported policy changes nothing
    const plan = await runCli(['plan', '--api-endpoint', api.url, join(dir, 'policy.yaml')]);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });

  it('a hand-made policy (gcloud JSON): sources from descriptions, every other rule listed with its priority', async () => {
    const r = await runCli(['import', '--from', join(FIXTURES, 'gcloud-describe.json')]);
    assert.equal(r.code, 0, r.stderr);
    const policy = load(r.stdout) as { metadata: { name: string }; spec: Record<string, unknown> };
    assert.equal(policy.metadata.name, 'shop-allowlist');
    assert.deepEqual(policy.spec, {
      policy: { name: 'shop-allowlist', projectID: 'shop-project', type: 'CLOUD_ARMOR', description: 'Hand-made allowlist for the shop' },
      defaultAction: 'deny(404)',
      preview: false,
      sources: [
        { name: 'tokyo-office-main', description: 'Tokyo office (main)', cidrs: ['203.0.113.0/24', '198.51.100.10/32', '2001:db8:abcd::/48'] },
        { name: 'rule-1500', cidrs: ['100.64.0.0/10'] },
      ],
    });
    for (const [priority, reason] of [[100, 'deny rules other than the default rule'], [1500, 'preview mismatch'], [2000, 'expression \\(CEL\\)'], [3000, 'action throttle']] as const) {
      assert.match(r.stderr, new RegExp(`^warning: not imported exactly: priority ${priority}: ${reason}`, 'm'));
      assert.match(r.stdout, new RegExp(`^#   priority ${priority}: ${reason}`, 'm'));
    }
    assert.match(r.stderr, /policy setting not managed by a SecurityPolicy .*adaptiveProtectionConfig/);
    assert.match(r.stderr, /4 rule\(s\) not expressible/);
    // what was imported is a valid SecurityPolicy
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yaml'), r.stdout);
    assert.equal((await runCli(['render', join(dir, 'p.yaml')])).code, 0);
  });

  it('the live policy with foreign rules', async () => {
    api.policies.set('shop-allowlist', JSON.parse(readFileSync(join(FIXTURES, 'gcloud-describe.json'), 'utf8')));
    const r = await runCli(['import', '--api-endpoint', api.url, '--project', 'shop-project', '--policy', 'shop-allowlist']);
    assert.equal(r.code, 0, r.stderr);
    const fromFile = await runCli(['import', '--from', join(FIXTURES, 'gcloud-describe.json')]);
    assert.equal(r.stdout.replace(/^# Imported from .*\n/, ''), fromFile.stdout.replace(/^# Imported from .*\n/, ''));
  });

  it('404 and 403 are errors (exit 1)', async () => {
    api.policies.delete('gone');
    let r = await runCli(['import', '--api-endpoint', api.url, '--project', 'p', '--policy', 'gone']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: Cloud Armor policy gone not found in project p$/m);
    api.policies.set('secret', 403);
    r = await runCli(['import', '--api-endpoint', api.url, '--project', 'p', '--policy', 'secret']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: permission denied reading projects\/p\/global\/securityPolicies\/secret/m);
    assert.equal(r.stdout, '');
  });

  it('usage errors', async () => {
    let r = await runCli(['import']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /import needs --policy NAME/);
    r = await runCli(['import', '--from', join(FIXTURES, 'nodes.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no ComputeSecurityPolicy or Cloud Armor policy JSON/);
  });

  it('descriptions become unique DNS labels', () => {
    assert.equal(toDnsLabel('Tokyo office (main)'), 'tokyo-office-main');
    assert.equal(toDnsLabel('--Ünïcode__VPN--'), 'n-code-vpn');
    assert.equal(toDnsLabel('x'.repeat(80)).length, 63);
    assert.equal(toDnsLabel('!!!'), '');
  });
});
