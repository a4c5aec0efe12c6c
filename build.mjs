// Builds the two self-contained bundles:
//   dist/fn.js  - the function (KRM on stdin/stdout, or `serve` for Crossplane gRPC); what the image runs
//   dist/cli.js - the operator's `security-policy` command; heavy clients stay lazy (required at call time)
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

// `--version` of both bundles: package.json's version, fixed at build time (see fn/common/version.ts).
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
};

// The gRPC server (grpc-js, protobufjs: two thirds of the code) is built first, on its own, and
// carried inside dist/fn.js as a string that is compiled only when `serve` is chosen. A KRM run, which
// starts a fresh process for every kpt or kustomize call, then does not even parse it; the file stays
// one self-contained bundle.
const serve = await build({
  ...common,
  entryPoints: ['fn/crossplane/serve.ts'],
  write: false,
  // grpc-js requires @grpc/proto-loader (and its own copy of protobufjs) only inside the channelz and
  // ORCA services, which this server never registers; the tests run the bundle alone to prove it.
  external: ['@grpc/proto-loader'],
});
const serveSource = serve.outputFiles[0].text;

/** Resolves the entry's `require('./crossplane/serve')` to a module that compiles the string above. */
const embeddedServe = {
  name: 'embedded-serve',
  setup(b) {
    b.onResolve({ filter: /^\.\/crossplane\/serve$/ }, () => ({ path: 'serve', namespace: 'embedded' }));
    b.onLoad({ filter: /.*/, namespace: 'embedded' }, () => ({
      loader: 'js',
      contents: `const Module = require('node:module');
const m = new Module(__filename + '#serve', module);
m.filename = __filename;
m.paths = module.paths;
m._compile(${JSON.stringify(serveSource)}, __filename + '#serve');
module.exports = m.exports;`,
    }));
  },
};

await build({
  ...common,
  entryPoints: ['fn/main.ts'],
  outfile: 'dist/fn.js',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [embeddedServe],
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
