// `npm run bench [-- --quick] [-- --only cold,scale,grpc,load,core,bundle]`: runs every part and prints one
// table with the measured figures, the baseline from the same run, and the targets of issue 5.
// --quick: fewer repetitions, and the 15,000-Node sizes left out (said so in the table).
import * as os from 'node:os';
import { bundle } from './bundle';
import { coldStart } from './cold-start';
import { core } from './core';
import { grpcLatency, type GrpcSize } from './grpc-latency';
import { grpcLoad } from './grpc-load';
import { krmScale } from './krm-scale';
import { formatTable, type Row } from './table';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
  const want = (part: string) => !only || only.has(part);
  const rows: Row[] = [];
  const step = async (part: string, fn: () => Promise<Row[]> | Row[]) => {
    if (!want(part)) return;
    const t = performance.now();
    process.stderr.write(`bench: ${part}...`);
    rows.push(...(await fn()));
    process.stderr.write(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };

  await step('bundle', () => bundle({ runs: quick ? 10 : 40 }));
  await step('cold', () => coldStart({ runs: quick ? 10 : 40 }));
  await step('core', () => core({ runs: quick ? 3 : 15, nodes: 15_000 }));
  await step('scale', () => krmScale({
    sizes: quick
      ? [{ nodes: 1_000, runs: 2, timeTarget: 400 }]
      : [{ nodes: 1_000, runs: 7, timeTarget: 400 }, { nodes: 15_000, runs: 3, timeTarget: 4_000, rssTarget: 2 ** 30 }],
  }));
  const grpcSizes: GrpcSize[] = quick
    ? [{ nodes: 10, sequential: 200, concurrent: 320, p99Target: 5 }, { nodes: 1_000, sequential: 10, concurrent: 32, p99Target: 60 }]
    : [
      { nodes: 10, sequential: 1_000, concurrent: 1_600, p99Target: 5 },
      { nodes: 1_000, sequential: 60, concurrent: 96, p99Target: 60 },
      { nodes: 15_000, sequential: 5, concurrent: 8, inFlight: 2 },
    ];
  await step('grpc', () => grpcLatency({ sizes: grpcSizes }));
  await step('load', () => grpcLoad({ concurrent: 1_000, smallNodes: 10, bigMiB: quick ? 50 : 200, shapes: quick ? ['nodes'] : ['nodes', 'context'] }));

  const cpus = os.cpus();
  process.stdout.write(`\nfunction-security-policy benchmark${quick ? ' (--quick: fewer runs; the 15,000-Node KRM and gRPC rows are skipped)' : ''}\n`);
  process.stdout.write(`node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n\n`);
  process.stdout.write(formatTable(rows));
  const missed = rows.filter((r) => r.pass === false).length;
  process.stdout.write(`\n${rows.filter((r) => r.pass !== undefined).length - missed} targets met, ${missed} missed\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`\nbench failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
