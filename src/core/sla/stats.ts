/** Mean, median and 90th percentile of a sample, in the sample's unit; null values when empty. */
export interface Summary {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

/**
 * Summarises values. Median: the middle value, or the mean of the two middle values for an even count.
 * p90: nearest-rank method (the smallest value with at least 90 % of the sample at or below it), so the
 * figure is always an observed value an auditor can find in the per-ticket CSV.
 */
export function summarize(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  const mid = n >> 1;
  const median =
    n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { count: n, mean: sum / n, median, p90 };
}

/** A growable list of numbers that stays compact for a million values. */
export class NumberList {
  private data = new Float64Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
