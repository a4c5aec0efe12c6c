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
