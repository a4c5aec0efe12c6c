// Links between the repository's Markdown files must resolve inside a clone: a reader browsing the
// repository on GitHub follows them, and a dead link is how the contract went missing before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, readText, repoFiles } from './files';

/** Relative link targets of a Markdown text: [text](target) outside code, without #anchors. */
export function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // https:, mailto:, anchors
    out.push(decodeURIComponent(target.split('#')[0]!));
  }
  return out;
}

test('every relative link in a Markdown file points at a file or folder of the clone', () => {
  const dead: string[] = [];
  for (const file of repoFiles().filter((f) => f.endsWith('.md'))) {
    for (const target of relativeLinks(readText(file) ?? '')) {
      const resolved = path.resolve(REPO_ROOT, path.dirname(file), target);
      if (!resolved.startsWith(REPO_ROOT + path.sep) || !fs.existsSync(resolved)) dead.push(`${file}: ${target}`);
    }
  }
  assert.deepEqual(dead, []);
});

test('relativeLinks skips URLs, anchors and code', () => {
  assert.deepEqual(relativeLinks('[a](../x.md#y) [b](https://e.org) [c](#top) `[d](no.md)`\n```\n[e](no.md)\n```'), ['../x.md']);
});
