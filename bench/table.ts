// The one table `npm run bench` prints: a row per measurement, with the baseline measured in the same
// run, their ratio, and the target with PASS/MISS beside it.

export interface Row {
  name: string;
  /** What was measured, already formatted (e.g. "median 41 ms, p95 44 ms"). */
  measured: string;
  /** The floor measured in the same run, formatted; "-" when there is none. */
  baseline?: string;
  /** measured / baseline, when it means something. */
  ratio?: number;
  target?: string;
  /** true PASS, false MISS, undefined for rows without a target. */
  pass?: boolean;
  note?: string;
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'measured', 'baseline (same run)', 'ratio', 'target', 'result'];
  const cells = rows.map((r) => [
    r.name,
    r.measured,
    r.baseline ?? '-',
    r.ratio === undefined ? '-' : `${r.ratio.toFixed(2)}x`,
    r.target ?? '-',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.name}: ${r.note}`);
  return `${out.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}
