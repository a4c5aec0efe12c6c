// Small statistics and formatting helpers shared by the benchmark parts.

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (v: readonly number[]): number => quantile(v, 0.5);

export interface Summary { n: number; min: number; median: number; p95: number; p99: number; max: number }

export function summarize(v: readonly number[]): Summary {
  return { n: v.length, min: Math.min(...v), median: median(v), p95: quantile(v, 0.95), p99: quantile(v, 0.99), max: Math.max(...v) };
}

export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`;
}

export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes >= 100 * 2 ** 20 ? 0 : 1)} MiB`;
}

/** Milliseconds since `start` (from performance.now()). */
export const since = (start: number): number => performance.now() - start;
