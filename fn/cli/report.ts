// What the CLI says on stderr: findings of the core, prefixed with where they came from.
import { describe, type Finding } from '../core';

export interface Reporter {
  warn(message: string): void;
  info(message: string): void;
}

export const stderrReporter: Reporter = {
  warn: (m) => void process.stderr.write(`warning: ${m}\n`),
  info: (m) => void process.stderr.write(`${m}\n`),
};

/** Writes warnings and infos; returns the error lines (the caller decides when to print them and fail). */
export function reportFindings(findings: readonly Finding[], context: string, reporter: Reporter = stderrReporter): string[] {
  const errors: string[] = [];
  for (const f of findings) {
    const line = `${context}: ${describe(f)}`;
    if (f.severity === 'error') errors.push(line);
    else if (f.severity === 'warning') reporter.warn(line);
    else reporter.info(line);
  }
  return errors;
}
