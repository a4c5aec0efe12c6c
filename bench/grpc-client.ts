// The load generator, in its own process: `grpc-client.ts PORT REQUEST_FILE WARMUP CALLS IN_FLIGHT`
// sends the request bytes CALLS times with IN_FLIGHT calls outstanding and prints one JSON line:
// per-call latencies (ms), the total wall time and the response size.
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';

const [port, file, warmupText, callsText, inFlightText] = process.argv.slice(2);
const request = fs.readFileSync(file!);
const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
});
const path = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const id = (b: Buffer): Buffer => b;

function call(): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, id, id, request, { deadline: Date.now() + 300_000 } as grpc.CallOptions, (err, value) => {
      if (err) reject(err);
      else resolve({ ms: performance.now() - t, bytes: value!.length });
    });
  });
}

async function main(): Promise<void> {
  const warmup = Number(warmupText);
  const calls = Number(callsText);
  const inFlight = Number(inFlightText);
  for (let i = 0; i < warmup; i++) await call();
  const latencies: number[] = [];
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < calls) {
      next++;
      const r = await call();
      latencies.push(r.ms);
      bytes = r.bytes;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, calls) }, worker));
  const totalMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ latencies, totalMs, responseBytes: bytes })}\n`);
  client.close();
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
