// The repository's own files, for tests that check the repository as a whole (links, names).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * Every file git would commit: tracked files plus new ones not ignored (so a file added but not yet
 * committed is checked too). node_modules/ and dist/ are ignored by .gitignore, so they never appear.
 */
export function repoFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  // Regular files only: a symlink (to a folder, say) is not content of its own.
  return [...new Set(out.split('\0').filter((f) => f !== ''))].filter((f) => fs.lstatSync(path.join(REPO_ROOT, f), { throwIfNoEntry: false })?.isFile()).sort();
}

/** The file's text, or undefined for a binary file (a NUL byte in its first 8 KiB). */
export function readText(file: string): string | undefined {
  const buf = fs.readFileSync(path.join(REPO_ROOT, file));
  if (buf.subarray(0, 8192).includes(0)) return undefined;
  return buf.toString('utf8');
}
