// Entry point of dist/fn.js, the one bundle the image runs as `node /fn.js`.
//
// Mode rule (documented in the README):
//   node fn.js serve [flags]              -> Crossplane composition function (gRPC RunFunction)
//   node fn.js --flag ...                 -> the same: Crossplane's SDK-built functions take their flags
//                                            without a command (a DeploymentRuntimeConfig adds --debug,
//                                            `crossplane render` runs the image with --insecure)
//   node fn.js  with TLS_SERVER_CERTS_DIR -> the same server: Crossplane's function runtime starts the
//                                            image with no arguments and sets this variable
//   node fn.js  otherwise                 -> KRM function: ResourceList on stdin, ResourceList on stdout
//                                            (kpt fn render/eval, kustomize, Argo CD)
//   child process of the server           -> the call process, which runs large RunFunction calls off the
//   (FUNCTION_SECURITY_POLICY_CALL_PROCESS_TTL_MS set)  server's process (fn/crossplane/call-process.ts starts it)
// Each mode is required only when chosen, so the KRM path never evaluates the gRPC stack.
// `node fn.js --version` prints the package version.
import { VERSION } from './common/version';

/** Same name as CALL_PROCESS_ROLE_ENV in fn/crossplane/call-process.ts (not imported: it would load the server). */
const CALL_PROCESS_ROLE_ENV = 'FUNCTION_SECURITY_POLICY_CALL_PROCESS_TTL_MS';

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  const flagsOnly = command !== undefined && command.startsWith('-');
  if (command === 'serve' || flagsOnly || (command === undefined && process.env.TLS_SERVER_CERTS_DIR)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { serveMain } = require('./crossplane/serve') as typeof import('./crossplane/serve');
    serveMain(flagsOnly ? argv : rest);
    return;
  }
  if (command === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { krmMain } = require('./krm/main') as typeof import('./krm/main');
    krmMain();
    return;
  }
  process.stderr.write(
    `unknown command ${JSON.stringify(command)}\n` +
      'usage: fn.js                  KRM function (ResourceList on stdin)\n' +
      '       fn.js serve [--insecure] [--address HOST:PORT] [--tls-server-certs-dir DIR] [--debug] ...\n' +
      '       fn.js [--insecure] [--address HOST:PORT] [--debug] ...   the same (fn.js serve --help lists the flags)\n',
  );
  process.exitCode = 1;
}

const callProcessTtlMs = process.env[CALL_PROCESS_ROLE_ENV];
if (callProcessTtlMs !== undefined) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { callProcessMain } = require('./crossplane/serve') as typeof import('./crossplane/serve');
  callProcessMain(Number(callProcessTtlMs));
} else {
  main(process.argv.slice(2));
}
