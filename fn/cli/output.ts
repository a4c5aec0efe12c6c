// Where the CLI's output goes can fail: a full disk (`> /dev/full`), a reader that closed the pipe
// (`| head -1`), an unwritable -o file. Each is one `error:` line and exit 1, never Node's
// "Unhandled 'error' event" stack trace.
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './io';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EPIPE: 'the reader closed the pipe',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
};

/** `no space left on device (ENOSPC)`: the reason first, the code for searching. */
export function describeWriteError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  const message = (err?.message ?? String(e)).split('\n')[0]!;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * Turns write errors on stdout and stderr into one line and exit 1. Stream errors arrive as 'error'
 * events (possibly after the command returned), so they are handled here, once, for the process.
 */
export function guardStandardStreams(): void {
  let reported = false;
  process.stdout.on('error', (e) => {
    if (!reported) {
      reported = true;
      try {
        process.stderr.write(`error: cannot write to stdout: ${describeWriteError(e)}\n`);
      } catch {
        // stderr is gone too: the exit code is all that is left.
      }
    }
    // Nothing more can reach the reader; stop now rather than compute output nobody gets.
    process.exit(1);
  });
  // Nowhere left to report a stderr failure; make sure it still fails the run.
  process.stderr.on('error', () => {
    process.exitCode = 1;
  });
}

/**
 * Writes FILE whole or not at all: a temporary file beside it, renamed over it, so that a failure
 * half-way (a full disk, a killed job) leaves the previous file as it was, never a truncated one. A
 * device or a pipe (/dev/stdout) is written directly. Errors are one line naming the file.
 */
export function writeOutputFile(path: string, text: string): void {
  let regular = true;
  try {
    regular = !existsSync(path) || statSync(path).isFile();
  } catch {
    // Unreadable: the write below reports it.
  }
  const target = regular ? join(dirname(path), `.${basename(path)}.${process.pid}.tmp`) : path;
  try {
    writeFileSync(target, text);
    if (target !== path) renameSync(target, path);
  } catch (e) {
    if (target !== path) rmSync(target, { force: true });
    throw new CliError(`cannot write ${path}: ${describeWriteError(e)}`);
  }
}

/** mkdir -p with a one-line error naming the folder. */
export function makeOutputDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create ${path}: ${describeWriteError(e)}`);
  }
}
