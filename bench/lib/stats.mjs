// Small statistics helpers: every benchmark reports medians with their spread.

export function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** Linear-interpolated percentile (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

export function median(values) {
  return percentile(values, 50);
}

/** { n, median, min, max, p10, p90, mean } of a list of numbers. */
export function summarize(values) {
  const s = sorted(values);
  return {
    n: s.length,
    median: median(s),
    min: s[0],
    max: s[s.length - 1],
    p10: percentile(s, 10),
    p90: percentile(s, 90),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Rounds every number of a summary (for printing and results.json). */
export function roundSummary(summary, digits = 2) {
  return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, typeof v === 'number' ? round(v, digits) : v]));
}

/** A high-resolution clock in milliseconds. */
export const now = () => performance.now();

/** Times an async function: [result, milliseconds]. */
export async function timed(fn) {
  const start = now();
  const result = await fn();
  return [result, now() - start];
}
