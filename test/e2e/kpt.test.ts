// End to end through the real kpt binary: every examples/kpt/<scenario> package is rendered with
// `kpt fn render --allow-exec` (the Kptfile's `exec: function-security-policy` step finds bin/ on PATH)
// and evaluated with `kpt fn eval --exec`; the result must equal the package plus its expected files
// (test/e2e/expected/kpt/<scenario>/), and a second run must change nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseDocuments } from '../../fn/krm/yaml';
import { cloudArmorLimitErrors, validateAgainstKcc, validateGkeAttachment } from '../helpers/crd';
import { BIN_DIR, FN_BUNDLE, copyTree, expectedPath, readTree, requireTool, run, scenarios, tempDir, UPDATE_EXPECTED } from './tools';

const kpt = requireTool('kpt');
const env = { ...process.env, PATH: `${BIN_DIR}:${process.env.PATH}` };

/** What the package must look like after rendering: its files, overlaid with its expected files. */
function expectedTree(pkg: string): Map<string, string> {
  const tree = readTree(pkg);
  const expectedDir = expectedPath('kpt', path.basename(pkg));
  if (fs.existsSync(expectedDir)) for (const [rel, content] of readTree(expectedDir)) tree.set(rel, content);
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function saveExpected(pkg: string, rendered: Map<string, string>): void {
  const original = readTree(pkg);
  const expectedDir = expectedPath('kpt', path.basename(pkg));
  fs.rmSync(expectedDir, { recursive: true, force: true });
  for (const [rel, content] of rendered) {
    if (original.get(rel) === content) continue;
    fs.mkdirSync(path.dirname(path.join(expectedDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(expectedDir, rel), content);
  }
}

for (const pkg of scenarios('kpt')) {
  const name = path.basename(pkg);

  test(`kpt fn render --allow-exec: ${name}`, () => {
    const dir = path.join(tempDir('kpt-render'), name);
    // The package exactly as a user gets it: everything in the folder is package content.
    copyTree(pkg, dir);
    const first = run(kpt, ['fn', 'render', dir, '--allow-exec', '--truncate-output=false'], { env });
    assert.equal(first.status, 0, `kpt fn render failed:\n${first.stderr}`);
    const rendered = readTree(dir);
    if (UPDATE_EXPECTED) saveExpected(pkg, rendered);
    assert.deepEqual(rendered, expectedTree(pkg));
    // What kpt wrote is what Config Connector will be given: it must pass the CRD and Cloud Armor's limits.
    const generated = [...rendered].filter(([f]) => f.startsWith('generated/')).flatMap(([, c]) => parseDocuments(c)) as Array<{ kind: string }>;
    assert.ok(generated.some((o) => o.kind === 'ComputeSecurityPolicy'));
    for (const o of generated) {
      if (o.kind === 'ComputeSecurityPolicy') assert.deepEqual([...validateAgainstKcc(o), ...cloudArmorLimitErrors(o)], []);
      else assert.deepEqual(validateGkeAttachment(o), []);
    }

    const second = run(kpt, ['fn', 'render', dir, '--allow-exec'], { env });
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(readTree(dir), rendered, 'a second render must change nothing');
  });

  test(`kpt fn eval --exec: ${name}`, () => {
    const dir = path.join(tempDir('kpt-eval'), name);
    copyTree(pkg, dir);
    const config = path.join(dir, 'securitypolicy.yaml');
    const args = ['fn', 'eval', dir, '--exec', `node ${FN_BUNDLE}`, '--fn-config', config, '--truncate-output=false'];
    // Only `kpt fn render` stamps Config Connector objects with its blueprint annotation; eval does not.
    const unstamped = (tree: Map<string, string>) => new Map([...tree].map(([f, c]) => [f, c.replace(/^ +cnrm\.cloud\.google\.com\/blueprint: .*\n/m, '')]));
    const first = run(kpt, args, { env });
    assert.equal(first.status, 0, first.stderr);
    const evaluated = readTree(dir);
    assert.deepEqual(unstamped(evaluated), unstamped(expectedTree(pkg)));
    const second = run(kpt, args, { env });
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(readTree(dir), evaluated, 'a second eval must change nothing');
  });
}

test('kpt fn render: an invalid CIDR fails the render, names the field and leaves the package untouched', () => {
  const src = scenarios('kpt').find((p) => path.basename(p) === 'web-allowlist')!;
  const dir = path.join(tempDir('kpt-bad'), 'pkg');
  copyTree(src, dir);
  const spFile = path.join(dir, 'securitypolicy.yaml');
  fs.writeFileSync(spFile, fs.readFileSync(spFile, 'utf8').replace('- 198.51.100.7 ', '- 198.51.100.777 '));
  const before = readTree(dir);
  assert.match(before.get('securitypolicy.yaml')!, /198\.51\.100\.777/);
  const r = run(kpt, ['fn', 'render', dir, '--allow-exec', '--truncate-output=false'], { env });
  assert.notEqual(r.status, 0);
  const out = r.stdout + r.stderr;
  assert.match(out, /spec\.sources\[0\]\.cidrs\[2\]/);
  assert.match(out, /198\.51\.100\.777/);
  assert.doesNotMatch(out, /\n\s+at .*\(.*\.js:\d+:\d+\)/, 'no stack trace');
  assert.deepEqual(readTree(dir), before);
});
