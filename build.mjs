// Builds the two self-contained bundles:
//   dist/fn.js  - the function (KRM on stdin/stdout, or `serve` for Crossplane gRPC); what the image runs
//   dist/cli.js - the operator's `security-policy` command; heavy clients stay lazy (required at call time)
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['fn/main.ts'],
  outfile: 'dist/fn.js',
  banner: { js: '#!/usr/bin/env node' },
  // grpc-js requires @grpc/proto-loader (and its own copy of protobufjs, ~120 KB) only inside the
  // channelz and ORCA services, which this server never registers. Left out, the KRM path has that
  // much less to parse at every start; the tests run the bundle alone to prove nothing needs it.
  external: ['@grpc/proto-loader'],
});

await build({
  ...common,
  entryPoints: ['fn/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  // Loaded only by the commands that need them (plan/import, --nodes-from-cluster): kept out of the
  // bundle and resolved from node_modules at run time, so `--help` and `render` never pay for them.
  external: ['@google-cloud/compute', '@kubernetes/client-node'],
});
