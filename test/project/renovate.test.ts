// renovate.json keeps every pinned version current. Its custom managers are regular expressions over
// files: a `# renovate:` mark they do not match would silently never be updated, so each mark is
// checked against them here, the way Renovate applies them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, readText, repoFiles } from './files';

interface CustomManager { customType: string; managerFilePatterns: string[]; matchStrings: string[] }
const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renovate.json'), 'utf8')) as { extends?: string[]; customManagers?: CustomManager[] };

/** Renovate's `/regex/` file pattern (or a plain glob-free path) as a JavaScript RegExp. */
function filePattern(p: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  return m ? new RegExp(m[1]!, m[2]) : new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

test('renovate.json pins base image digests and action commits', () => {
  assert.ok(config.extends?.includes('docker:pinDigests'));
  assert.ok(config.extends?.some((e) => e.startsWith('helpers:pinGitHubActionDigests')));
});

test('every `# renovate:` mark is matched by a custom manager that reads its current version', () => {
  const unmatched: string[] = [];
  let marks = 0;
  for (const file of repoFiles()) {
    if (file === 'renovate.json' || file.startsWith('test/')) continue;
    const text = readText(file);
    if (!text?.includes('# renovate: datasource=')) continue;
    const managers = (config.customManagers ?? []).filter((m) => m.managerFilePatterns.some((p) => filePattern(p).test(file)));
    text.split('\n').forEach((line, i) => {
      if (!line.includes('# renovate: datasource=')) return;
      marks++;
      // The version a manager must capture: on this line (NAME=VERSION # renovate:) or the next (NAME: VERSION).
      const wanted = /=(\S+) # renovate:/.exec(line)?.[1] ?? /^\s*[A-Z_]+: '?([^'\s]+)'?\s*$/.exec(text.split('\n')[i + 1] ?? '')?.[1];
      const depName = /depName=(\S+)/.exec(line)?.[1];
      const found = managers.some((m) => m.matchStrings.some((s) => [...text.matchAll(new RegExp(s, 'g'))].some((x) => x.groups?.depName === depName && x.groups?.currentValue === wanted)));
      if (!found) unmatched.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.ok(marks > 0, 'no `# renovate:` marks found');
  assert.deepEqual(unmatched, []);
});
