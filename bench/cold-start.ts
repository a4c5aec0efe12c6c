// KRM cold start: `node dist/fn.js` on a typical package against `node -e 0`, interleaved pairwise
// so that machine noise hits both alike; the ratio of the medians.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { krmInput } from './inputs';
import { FN_JS, runNode } from './proc';
import { median, ms, quantile } from './stats';
import type { Row } from './table';

export async function coldStart(opts: { runs: number }): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fsp-bench-cold-'));
  try {
    const file = path.join(dir, 'package.yaml');
    fs.writeFileSync(file, krmInput(50, 5, 60, 7));
    // One untimed pair warms the file cache.
    const check = await runNode([FN_JS], { stdinFile: file });
    if (check.code !== 0) throw new Error(`fn.js failed on the typical package:\n${check.stderr}`);
    await runNode(['-e', '0'], { stdinFile: file });
    const fn: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const pair = i % 2 === 0 ? ['fn', 'floor'] : ['floor', 'fn'];
      for (const which of pair) {
        if (which === 'fn') fn.push((await runNode([FN_JS], { stdinFile: file })).ms);
        else floor.push((await runNode(['-e', '0'], { stdinFile: file })).ms);
      }
    }
    const ratio = median(fn) / median(floor);
    return [{
      name: 'KRM cold start (50 Nodes, 5 sources, 60 CIDRs)',
      measured: `median ${ms(median(fn))}, p95 ${ms(quantile(fn, 0.95))}`,
      baseline: `node -e 0: median ${ms(median(floor))}, p95 ${ms(quantile(floor, 0.95))}`,
      ratio,
      target: '<= 1.3x',
      pass: ratio <= 1.3,
      note: `${opts.runs} interleaved pairs; wall time from spawn to exit, stdin from a file, stdout drained`,
    }];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
