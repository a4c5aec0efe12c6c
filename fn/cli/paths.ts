// Which files a render reads: the paths given, with folders walked recursively. A folder is the unit
// being rendered (an Argo CD application folder, a kpt package), so the walk stays inside it: a
// symbolic link is followed only when its real path is inside the folder's real path, and a file
// reached twice (through a link) is read once. Problems are collected per file, so that one run
// names every bad link, instead of one ENOENT failing the whole render.
import { readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';

/** The file names a folder walk reads. */
export const INPUT_FILE = /\.(ya?ml|json)$/i;

export interface Expanded {
  /** Files to read, in order (folders sorted by name); `-` is stdin. */
  files: string[];
  /** One line per file that cannot be read, each naming it. */
  errors: string[];
  /** Entries skipped that would not have been read anyway (a dangling link with another name). */
  warnings: string[];
}

const isInside = (root: string, real: string) => {
  const rel = relative(root, real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

const reason = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' ? 'permission denied' : code ?? (e as Error).message.split('\n')[0];
};

export function expandPaths(paths: readonly string[]): Expanded {
  const out: Expanded = { files: [], errors: [], warnings: [] };
  const seenFiles = new Set<string>();
  const addFile = (shown: string, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    out.files.push(shown);
  };
  for (const p of paths) {
    if (p === '-') {
      out.files.push(p);
      continue;
    }
    let st: Stats;
    let real: string;
    try {
      st = statSync(p);
      real = realpathSync(p);
    } catch {
      out.errors.push(`${p}: no such file or directory`);
      continue;
    }
    // A path given by name is read wherever it points: the user chose it.
    if (st.isDirectory()) walk(p, real, real, new Set([real]), out, addFile);
    else addFile(p, real);
  }
  return out;
}

function walk(dir: string, realDir: string, root: string, onPath: Set<string>, out: Expanded, addFile: (shown: string, real: string) => void): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    out.errors.push(`${dir}: cannot read the folder: ${reason(e)}`);
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    const wanted = INPUT_FILE.test(entry.name);
    if (entry.isDirectory()) {
      const realChild = join(realDir, entry.name);
      walk(full, realChild, root, new Set([...onPath, realChild]), out, addFile);
      continue;
    }
    if (entry.isFile()) {
      if (wanted) addFile(full, join(realDir, entry.name));
      continue;
    }
    if (!entry.isSymbolicLink()) continue; // sockets, FIFOs, devices: not inputs
    let real: string;
    let st: Stats;
    try {
      real = realpathSync(full);
      st = statSync(real);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? 'dangling symbolic link' : code === 'ELOOP' ? 'symbolic link loop' : `symbolic link that cannot be followed (${reason(e)})`;
      // An input that cannot be read is an error: skipping it could drop a SecurityPolicy or the
      // Nodes. A link with another name would not have been read: it is only mentioned.
      if (wanted) out.errors.push(`${full}: ${what}`);
      else out.warnings.push(`${full}: ${what}, skipped`);
      continue;
    }
    if (!st.isDirectory() && !wanted) continue;
    if (!isInside(root, real)) {
      out.errors.push(`${full}: symbolic link to ${real}, outside the folder ${root}; a folder's render reads only what is inside it (copy the file in, or pass it as a path of its own)`);
      continue;
    }
    if (st.isDirectory()) {
      // A link back to a folder being walked would never end; everything in it is read already.
      if (onPath.has(real)) continue;
      walk(full, real, root, new Set([...onPath, real]), out, addFile);
    } else if (st.isFile()) {
      addFile(full, real);
    }
  }
}
