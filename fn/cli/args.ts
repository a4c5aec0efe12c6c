// util.parseArgs with the CLI's conventions: unknown flags are a usage error that points at --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DurationError, parseDuration as parseSharedDuration } from '../common/duration';
import { CliError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/\. To specify a positional argument.*$/, '')}\nrun "security-policy ${command} --help" for usage`);
  }
}

const MAX_TIMEOUT_MS = 3_600_000;

/** A duration flag (`30s`, `1m30s`, `500ms`: the project's one grammar), above 0 and at most 1h, in milliseconds. */
export function parseDuration(text: string, flag: string): number {
  let ms: number;
  try {
    ms = parseSharedDuration(text);
  } catch (e) {
    if (e instanceof DurationError) throw new CliError(`${flag}: ${e.message}`);
    throw e;
  }
  if (ms <= 0) throw new CliError(`${flag} must be longer than 0, e.g. 30s`);
  // Listings run for up to 10 x --timeout, and Node's timers fire at once beyond 2^31 ms (24.8 days).
  if (ms > MAX_TIMEOUT_MS) throw new CliError(`${flag} ${JSON.stringify(text.slice(0, 40))} is longer than the most it takes, 1h`);
  return ms;
}
