// KRM at scale: `node dist/fn.js` on a ResourceList of N realistic Nodes (kpt's block-style YAML),
// 50 sources and 5,000 CIDRs: wall time and peak RSS. Baseline: `node -e 0` reading the same stdin
// file is meaningless for size, so the floor shown is the time to read and drop the same input.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { krmInput } from './inputs';
import { FN_JS, HAS_GNU_TIME, runNode } from './proc';
import { median, mib, ms } from './stats';
import type { Row } from './table';

const READ_ONLY = "let n=0;process.stdin.on('data',b=>n+=b.length).on('end',()=>process.stdout.write(String(n)))";

export async function krmScale(opts: { sizes: Array<{ nodes: number; runs: number; timeTarget: number; rssTarget?: number }> }): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-scale-'));
  try {
    for (const size of opts.sizes) {
      const file = path.join(dir, `nodes-${size.nodes}.yaml`);
      fs.writeFileSync(file, krmInput(size.nodes, 50, 5000, 11));
      const inputBytes = fs.statSync(file).size;
      const times: number[] = [];
      const rss: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < size.runs; i++) {
        floors.push((await runNode(['-e', READ_ONLY], { stdinFile: file })).ms);
        const r = await runNode([FN_JS], { stdinFile: file, rss: true, timeoutMs: 300_000 });
        if (r.code !== 0) throw new Error(`fn.js failed on ${size.nodes} Nodes (exit ${r.code}):\n${r.stderr.slice(0, 2000)}`);
        times.push(r.ms);
        if (r.maxRssBytes !== undefined) rss.push(r.maxRssBytes);
      }
      const t = median(times);
      const peak = rss.length ? Math.max(...rss) : NaN;
      const passTime = t <= size.timeTarget;
      const passRss = size.rssTarget === undefined || peak <= size.rssTarget;
      rows.push({
        name: `KRM ${size.nodes.toLocaleString('en')} Nodes, 50 sources, 5,000 CIDRs (${mib(inputBytes)} YAML)`,
        measured: `min ${ms(Math.min(...times))}, median ${ms(t)}, max ${ms(Math.max(...times))}; peak RSS ${mib(peak)}`,
        baseline: `read stdin only: ${ms(median(floors))}`,
        ratio: t / median(floors),
        target: `<= ${ms(size.timeTarget)}${size.rssTarget ? `, <= ${mib(size.rssTarget)}` : ''}`,
        pass: passTime && passRss,
        note: `${size.runs} run(s); peak RSS from ${HAS_GNU_TIME ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}`,
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
