// The published names of the project, all derived from one place: package.json's `repository` (the
// GitHub owner/name) and `name` (the npm package of the CLI). The release workflow, the examples and
// the docs use exactly these; test/project/names.test.ts fails on any other registry or name.
//
//   node --import tsx scripts/names.ts                      prints the names as key=value lines
//   node --import tsx scripts/names.ts --check OWNER/REPO   fails unless package.json names that repository
//   node --import tsx scripts/names.ts --sync-version       pins examples and docs at package.json's version
//                                                           (run by `npm version`)
//   node --import tsx scripts/names.ts --rename OWNER/REPO [--npm-name NAME]
//                                                           a fork's one step: rewrites package.json and
//                                                           every file that uses the current names
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface ReleaseNames {
  /** GitHub owner/name, as package.json's `repository` gives it. */
  repository: string;
  /** `github.com/OWNER/REPO`: the package's `meta.crossplane.io/source`. */
  source: string;
  /** `https://github.com/OWNER/REPO`. */
  sourceUrl: string;
  /** The function image (KRM function under kpt, kustomize; Crossplane runtime). */
  image: string;
  /** The Crossplane Function package (xpkg), the image embedded, one per architecture. */
  xpkg: string;
  /** The Argo CD plugin sidecar image: the CLI on Node.js (examples/argocd/Dockerfile). */
  cliImage: string;
  /** The npm package that installs the `security-policy` command. */
  npmPackage: string;
}

const OWNER_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** owner/repo from package.json's `repository` (a string or `{url}`), GitHub only. */
export function repositoryOf(repository: unknown): string {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | null)?.url;
  if (typeof raw !== 'string') throw new Error('package.json: repository.url is missing; set it to https://github.com/OWNER/REPO');
  const m = /^(?:github:|(?:git\+)?(?:https?|ssh|git):\/\/(?:git@)?github\.com\/|git@github\.com:)?([^/:\s]+\/[^/\s]+?)(?:\.git)?\/?$/.exec(raw.trim());
  const found = m?.[1];
  if (!found || !OWNER_REPO.test(found)) throw new Error(`package.json: repository ${JSON.stringify(raw.slice(0, 120))} is not a GitHub repository (https://github.com/OWNER/REPO)`);
  return found;
}

/** Every published name, from the repository and the npm package name. OCI names are lower case. */
export function deriveNames(repository: string, npmPackage: string): ReleaseNames {
  if (!OWNER_REPO.test(repository)) throw new Error(`repository ${JSON.stringify(repository.slice(0, 120))} is not OWNER/REPO`);
  const oci = `ghcr.io/${repository.toLowerCase()}`;
  return {
    repository,
    source: `github.com/${repository}`,
    sourceUrl: `https://github.com/${repository}`,
    image: oci,
    xpkg: `${oci}-xpkg`,
    cliImage: `${oci}-cli`,
    npmPackage,
  };
}

interface PackageJson { name?: unknown; repository?: unknown }

function readPackageJson(root: string): PackageJson {
  return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
}

/** The names package.json defines. */
export function releaseNames(root = REPO_ROOT): ReleaseNames {
  const pkg = readPackageJson(root);
  if (typeof pkg.name !== 'string' || pkg.name === '') throw new Error('package.json: name is missing');
  return deriveNames(repositoryOf(pkg.repository), pkg.name);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces the old names by the new ones in one text; returns it unchanged when none occurs. */
export function renameInText(text: string, from: ReleaseNames, to: ReleaseNames): string {
  // The OCI names share the ghcr.io/owner/repo prefix and the source the github.com/owner/repo one:
  // replacing the two prefixes renames image, package, sidecar and links alike.
  const pairs: Array<[RegExp, string | ((...args: string[]) => string)]> = [
    [new RegExp(`ghcr\\.io/${escapeRegExp(from.repository.toLowerCase())}(?![A-Za-z0-9_])`, 'g'), to.image],
    [new RegExp(`github\\.com/${escapeRegExp(from.repository)}(?![A-Za-z0-9_])`, 'g'), to.source],
  ];
  if (from.npmPackage !== to.npmPackage) {
    pairs.push([new RegExp(`(npm (?:i|install) (?:-g|--global) )${escapeRegExp(from.npmPackage)}(?=[@\\s]|$)`, 'gm'), `$1${to.npmPackage}`]);
    // A pinned mention elsewhere (a table, a release note): NAME@1.2.3.
    pairs.push([new RegExp(`((?:^|[\\s'"\`(])${escapeRegExp(from.npmPackage)})(?=@\\d)`, 'gm'), (_m: string, lead: string) => lead.slice(0, lead.length - from.npmPackage.length) + to.npmPackage]);
  }
  return pairs.reduce((t, [re, by]) => t.replace(re, by as (...args: string[]) => string), text);
}

/**
 * Moves every pinned reference to the project's images (`IMAGE:vX.Y.Z`) and npm package
 * (`NAME@X.Y.Z`) to `version`: run by `npm version` so examples and docs follow each release.
 */
export function syncVersionInText(text: string, names: ReleaseNames, version: string): string {
  const images = [names.xpkg, names.cliImage, names.image].map(escapeRegExp).join('|');
  return text
    .replace(new RegExp(`(${images}):v\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?![0-9A-Za-z.-])`, 'g'), `$1:v${version}`)
    .replace(new RegExp(`((?:^|[\\s'"\`(])${escapeRegExp(names.npmPackage)})@\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?![0-9A-Za-z.-])`, 'gm'), `$1@${version}`);
}

/** Files git would commit (tracked, or new and not ignored). */
function repoFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  // Regular files only: a symlink (to a folder, say) is not content of its own.
  return [...new Set(out.split('\0').filter((f) => f !== ''))].filter((f) => fs.lstatSync(path.join(root, f), { throwIfNoEntry: false })?.isFile());
}

/** Rewrites every file that pins the project's names to the package.json version; returns them. */
export function syncVersion(root: string): string[] {
  const names = releaseNames(root);
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const changed: string[] = [];
  for (const file of repoFiles(root)) {
    if (file === 'package.json' || file === 'package-lock.json' || file === 'CHANGELOG.md') continue;
    const full = path.join(root, file);
    const buf = fs.readFileSync(full);
    if (buf.subarray(0, 8192).includes(0)) continue; // binary
    const text = buf.toString('utf8');
    const next = syncVersionInText(text, names, version);
    if (next !== text) {
      fs.writeFileSync(full, next);
      changed.push(file);
    }
  }
  return changed;
}

/** A fork's rename: package.json first, then every text file that uses the current names. */
export function rename(root: string, repository: string, npmPackage?: string): string[] {
  const from = releaseNames(root);
  const to = deriveNames(repository, npmPackage ?? from.npmPackage);
  const pkgText = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
  const pkg = JSON.parse(pkgText) as Record<string, unknown>;
  pkg.name = to.npmPackage;
  pkg.repository = { type: 'git', url: `git+${to.sourceUrl}.git` };
  if (typeof pkg.homepage === 'string') pkg.homepage = `${to.sourceUrl}#readme`;
  if (pkg.bugs && typeof pkg.bugs === 'object') pkg.bugs = { url: `${to.sourceUrl}/issues` };
  fs.writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const changed = ['package.json'];
  for (const file of repoFiles(root)) {
    if (file === 'package.json' || file === 'package-lock.json') continue;
    const full = path.join(root, file);
    const buf = fs.readFileSync(full);
    if (buf.subarray(0, 8192).includes(0)) continue; // binary
    const text = buf.toString('utf8');
    const next = renameInText(text, from, to);
    if (next !== text) {
      fs.writeFileSync(full, next);
      changed.push(file);
    }
  }
  return changed;
}

function main(argv: string[]): number {
  const [cmd, arg, ...rest] = argv;
  try {
    if (cmd === undefined) {
      for (const [k, v] of Object.entries(releaseNames())) process.stdout.write(`${k}=${v}\n`);
      return 0;
    }
    if (cmd === '--check' && arg) {
      const names = releaseNames();
      if (names.repository.toLowerCase() === arg.toLowerCase()) return 0;
      process.stderr.write(`names: package.json names the repository ${names.repository}, but this is ${arg}: run \`npm run names -- --rename ${arg}\` and commit the result (see docs/release.md)\n`);
      return 1;
    }
    if (cmd === '--sync-version') {
      for (const f of syncVersion(REPO_ROOT)) process.stdout.write(`version updated in ${f}\n`);
      return 0;
    }
    if (cmd === '--rename' && arg) {
      const npmAt = rest.indexOf('--npm-name');
      const npmName = npmAt >= 0 ? rest[npmAt + 1] : undefined;
      if (npmAt >= 0 && !npmName) throw new Error('--npm-name needs a package name');
      for (const f of rename(REPO_ROOT, arg, npmName)) process.stdout.write(`renamed in ${f}\n`);
      return 0;
    }
    process.stderr.write('usage: names.ts [--check OWNER/REPO | --sync-version | --rename OWNER/REPO [--npm-name NAME]]\n');
    return 2;
  } catch (e) {
    process.stderr.write(`names: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
