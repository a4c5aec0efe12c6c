// Entry point of dist/cli.js, the `security-policy` command. Each command module is required only when
// chosen; the Kubernetes and Compute clients are required deeper still, by the code that calls them.
import { MAIN_HELP } from './help';
import { CliError } from './io';
import { guardStandardStreams } from './output';
import { VERSION } from '../common/version';

type CommandMain = (argv: string[]) => Promise<number>;

/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => CommandMain> = {
  render: () => (require('./render') as typeof import('./render')).renderMain,
  plan: () => (require('./plan') as typeof import('./plan')).planMain,
  import: () => (require('./import') as typeof import('./import')).importMain,
  nodes: () => (require('./nodes') as typeof import('./nodes')).nodesMain,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && rest[0] && COMMANDS[rest[0]]) return COMMANDS[rest[0]]!()(['--help']);
    process.stdout.write(MAIN_HELP);
    return command === undefined ? 1 : 0;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new CliError(`unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')}\nrun "security-policy --help" for usage`);
  return load()(rest);
}

/** One line for anything that escapes a command (with the stack only under SECURITY_POLICY_DEBUG=1). */
function reportFailure(e: unknown): void {
  process.stderr.write(`error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  if (process.env.SECURITY_POLICY_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
}

if (require.main === module) {
  guardStandardStreams();
  // A library that leaves a rejected promise or throws from a callback must not print Node's own
  // stack trace: the commands contain the known cases, this is the last resort.
  process.on('unhandledRejection', (e) => {
    reportFailure(e);
    process.exit(1);
  });
  process.on('uncaughtException', (e) => {
    reportFailure(e);
    process.exit(1);
  });
  // Libraries' process warnings (google-auth's MetadataLookupWarning when no GCE metadata server
  // answers) would follow our one-line error with lines the user cannot act on: debug output only.
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (process.env.SECURITY_POLICY_DEBUG) process.stderr.write(`${w.name}: ${w.message}\n`);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      if (e instanceof CliError) {
        process.stderr.write(`error: ${e.message}\n`);
        process.exitCode = e.exitCode;
        return;
      }
      // A bug, not a user error: one line by default, the stack with SECURITY_POLICY_DEBUG=1.
      reportFailure(e);
      process.exitCode = 1;
    },
  );
}
