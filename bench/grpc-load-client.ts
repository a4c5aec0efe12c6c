// Load generator for the server's bounds, in its own process. Prints one JSON line.
//   grpc-load-client.ts burst PORT FILE N        N calls sent at once; latencies and status codes
//   grpc-load-client.ts during PORT BIG SMALL    one call with BIG; while it runs, SMALL calls one after
//                                                another; the big call's result and the small calls' latencies
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

const [mode, port, a, b] = process.argv.slice(2);
const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
});
const METHOD = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const id = (x: Buffer): Buffer => x;

interface Outcome { ms: number; code: number; details?: string }

function call(request: Buffer): Promise<Outcome> {
  const t = performance.now();
  return new Promise((resolve) => {
    client.makeUnaryRequest(METHOD, id, id, request, { deadline: Date.now() + 600_000 } as grpc.CallOptions, (err) => {
      resolve({ ms: performance.now() - t, code: err ? err.code : grpc.status.OK, details: err?.details });
    });
  });
}

const codes = (outcomes: Outcome[]) => {
  const out: Record<string, number> = {};
  for (const o of outcomes) out[grpc.status[o.code]!] = (out[grpc.status[o.code]!] ?? 0) + 1;
  return out;
};

async function main(): Promise<void> {
  if (mode === 'burst') {
    const request = fs.readFileSync(a!);
    await call(request); // connect and warm up
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: Number(b) }, () => call(request)));
    const ok = outcomes.filter((o) => o.code === grpc.status.OK);
    process.stdout.write(`${JSON.stringify({ latencies: ok.map((o) => o.ms), refusedMs: outcomes.filter((o) => o.code !== grpc.status.OK).map((o) => o.ms), codes: codes(outcomes), totalMs: performance.now() - started, sample: outcomes.find((o) => o.code !== grpc.status.OK)?.details })}\n`);
  } else if (mode === 'during') {
    const small = fs.readFileSync(b!);
    await call(small);
    let big: Outcome | undefined;
    const bigRequest = fs.readFileSync(a!);
    const bigDone = call(bigRequest).then((o) => (big = o));
    const smalls: Outcome[] = [];
    while (!big) {
      smalls.push(await call(small));
      await new Promise((r) => setTimeout(r, 5));
    }
    await bigDone;
    process.stdout.write(`${JSON.stringify({ big, latencies: smalls.filter((o) => o.code === grpc.status.OK).map((o) => o.ms), codes: codes(smalls) })}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  client.close();
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});
