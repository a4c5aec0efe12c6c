// Reads the fenced code blocks of a Markdown file, with the marker comment that may stand right before
// each one. The README's blocks are what a new user copies and pastes, so every one of them is either run
// by the tests or says, in the Markdown itself, why it is not:
//
//   <!-- not run: REASON -->   a block that cannot run here (needs a cluster, a cloud, a registry...)
//   <!-- file: PATH -->        a file to write: its content is written to PATH before the next blocks run
//   <!-- same as: PATH -->     a copy of a file of the repository, which must match it exactly
//
// A shell block (sh, shell, bash) without a marker is run; any other block must carry a marker.

export type Marker = { kind: 'not run' | 'file' | 'same as'; arg: string };

export interface CodeBlock {
  /** The info string after the opening fence: sh, yaml, ... (empty when none). */
  lang: string;
  /** The lines between the fences, with the fence's indentation removed. */
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
  marker?: Marker;
}

const MARKER = /^\s*<!--\s*(not run|file|same as):\s*(.*?)\s*-->\s*$/;
const FENCE = /^(\s*)(```+|~~~+)\s*([\w-]*)\s*$/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const out: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== fence) end++;
    if (end >= lines.length) throw new Error(`line ${i + 1}: code block is never closed`);
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())).join('\n');
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const m = before >= 0 ? MARKER.exec(lines[before]!) : null;
    out.push({ lang, body: body ? `${body}\n` : '', line: i + 1, marker: m ? { kind: m[1] as Marker['kind'], arg: m[2]! } : undefined });
    i = end;
  }
  return out;
}

export const SHELL_LANGS = new Set(['sh', 'shell', 'bash']);

/** The commands of a shell block: its lines without comments and blank lines. */
export function commands(block: CodeBlock): string[] {
  return block.body.split('\n').map((l) => l.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim()).filter(Boolean);
}
