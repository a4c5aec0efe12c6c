// Child processes for the benchmark: run a command with a file on stdin, drain its stdout (as kpt
// would), and report wall time, exit code and, when asked, peak RSS.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..');
export const FN_JS = path.join(REPO, 'dist/fn.js');
export const NODE = process.execPath;
const TIME = '/usr/bin/time';
export const HAS_GNU_TIME = fs.existsSync(TIME);

export interface RunResult { ms: number; code: number | null; stdoutBytes: number; stderr: string; maxRssBytes?: number }

export interface RunOptions {
  /** File fed on stdin (none: stdin is empty). */
  stdinFile?: string;
  /** Measure peak RSS: through `/usr/bin/time -v`, else a wrapper child reading process.resourceUsage(). */
  rss?: boolean;
  timeoutMs?: number;
}

/** `node args...`, timed from spawn to exit. */
export function runNode(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  let cmd = NODE;
  let argv = args;
  if (opts.rss && HAS_GNU_TIME) {
    cmd = TIME;
    argv = ['-v', NODE, ...args];
  } else if (opts.rss) {
    argv = [path.join(__dirname, 'rss-wrapper.js'), ...args];
  }
  return new Promise((resolve, reject) => {
    const stdin = opts.stdinFile ? fs.openSync(opts.stdinFile, 'r') : 'ignore';
    const started = performance.now();
    const child = spawn(cmd, argv, { cwd: REPO, stdio: [stdin, 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    if (typeof stdin === 'number') fs.closeSync(stdin);
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdoutBytes += b.length));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      let maxRssBytes: number | undefined;
      const gnu = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (gnu) maxRssBytes = Number(gnu[1]) * 1024;
      const wrapped = /^bench-max-rss-kb: (\d+)$/m.exec(stderr);
      if (wrapped) maxRssBytes = Number(wrapped[1]) * 1024;
      resolve({ ms, code, stdoutBytes, stderr, maxRssBytes });
    });
  });
}
