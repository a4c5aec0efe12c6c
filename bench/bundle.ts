// Bundle: size of dist/fn.js and the time to load it without running a mode (an unknown command
// makes main() print its usage and return: the bundle is parsed and its top level evaluated, the
// lazily required KRM and gRPC modules are not), over `node -e 0`, interleaved.
import * as fs from 'node:fs';
import { FN_JS, runNode } from './proc';
import { median, mib, ms, quantile } from './stats';
import type { Row } from './table';

export async function bundle(opts: { runs: number }): Promise<Row[]> {
  const size = fs.statSync(FN_JS).size;
  const load: number[] = [];
  const floor: number[] = [];
  await runNode([FN_JS, 'bench-load-only']);
  for (let i = 0; i < opts.runs; i++) {
    floor.push((await runNode(['-e', '0'])).ms);
    load.push((await runNode([FN_JS, 'bench-load-only'])).ms);
  }
  const over = median(load) - median(floor);
  return [
    { name: 'Bundle size dist/fn.js', measured: mib(size), target: '<= 1.5 MiB', pass: size <= 1.5 * 2 ** 20 },
    {
      name: 'Bundle load time',
      measured: `median ${ms(median(load))}, p95 ${ms(quantile(load, 0.95))} (+${ms(over)})`,
      baseline: `node -e 0: median ${ms(median(floor))}`,
      ratio: median(load) / median(floor),
      target: '<= +15 ms',
      pass: over <= 15,
      note: `${opts.runs} interleaved pairs; \`node dist/fn.js <unknown command>\` loads the bundle and returns`,
    },
  ];
}
