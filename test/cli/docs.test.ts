// docs/cli.md stays true: its YAML examples parse, its snapshot example is what `nodes` prints, and
// every command of the CLI is documented there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { load, loadAll } from 'js-yaml';
import { FIXTURES, ROOT, runCli } from './helpers';

const DOC = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
const yamlBlocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('docs/cli.md: every YAML example parses', () => {
  assert.ok(yamlBlocks.length >= 3);
  for (const block of yamlBlocks) assert.doesNotThrow(() => loadAll(block), block.slice(0, 80));
});

test('docs/cli.md: the snapshot example is exactly what `security-policy nodes` prints', async () => {
  const example = yamlBlocks.find((b) => b.includes('kind: NodeSnapshot'))!;
  const node = (load(readFileSync(join(FIXTURES, 'nodes.yaml'), 'utf8')) as { items: Array<{ metadata: { name: string } }> }).items.find((n) => n.metadata.name === 'gke-prod-default-pool-a');
  const r = await runCli(['nodes', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Node', ...node }] }) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(example, r.stdout);
});

test('docs/cli.md: documents every command the CLI lists', async () => {
  const help = await runCli(['--help']);
  const commands = [...help.stdout.split('Commands:\n')[1]!.split('\n\n')[0]!.matchAll(/^ {2}(\w+)\s/gm)].map((m) => m[1]!);
  assert.ok(commands.includes('nodes'), help.stdout);
  for (const c of commands) assert.match(DOC, new RegExp(`^## ${c}$`, 'm'), `docs/cli.md has no "## ${c}" section`);
});
