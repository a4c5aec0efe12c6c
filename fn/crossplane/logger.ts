// Structured logs: one JSON object per line on stderr. Quiet by default (start, stop, problems);
// --debug adds a line per request.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  readonly debugEnabled: boolean;
}

export function createLogger(debug: boolean, write: (line: string) => void = (l) => void process.stderr.write(l)): Logger {
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    let line: string;
    try {
      line = JSON.stringify({ ts: new Date().toISOString(), level, logger: 'function-security-policy', msg, ...fields });
    } catch {
      line = JSON.stringify({ ts: new Date().toISOString(), level, logger: 'function-security-policy', msg });
    }
    write(`${line}\n`);
  };
  return {
    debugEnabled: debug,
    debug: (msg, fields) => { if (debug) emit('debug', msg, fields); },
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}
