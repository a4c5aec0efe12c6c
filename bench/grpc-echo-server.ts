// The floor for RunFunction latency: a bare @grpc/grpc-js server on the same service path that
// answers every call with the request bytes it got, unparsed (`sink` as argument: with an empty
// message instead, the cost of receiving alone). Started as a child process; prints the same
// "serving" JSON line on stderr as dist/fn.js serve.
import * as grpc from '@grpc/grpc-js';

const id = (b: Buffer): Buffer => b;
const sink = process.argv[2] === 'sink';
const empty = Buffer.alloc(0);
const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
server.addService({
  RunFunction: {
    path: '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction',
    requestStream: false, responseStream: false,
    requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id,
  },
}, { RunFunction: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, sink ? empty : call.request) });
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stderr.write(`${JSON.stringify({ msg: 'serving', port })}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
