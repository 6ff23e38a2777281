import type { ComplianceRow, CountRow } from './report-model';
import type { SlaKind } from './types';

/** Counts by key; rendered sorted by count (desc), then key. */
export class Counter {
  private readonly counts = new Map<string, number>();

  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  rows(): CountRow[] {
    return [...this.counts.entries()]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, 'en', { numeric: true }));
  }
}

/** met/total per (definition, priority) plus a row over all priorities. */
export class ComplianceCounter {
  private readonly rows = new Map<string, ComplianceRow>();

  constructor(private readonly targetOf: (definitionId: string, priority: number) => number | null) {}

  add(definitionId: string, kind: SlaKind, priority: number | null, breached: boolean): void {
    for (const p of [priority, null]) {
      const key = `${definitionId}|${p ?? 'all'}`;
      let row = this.rows.get(key);
      if (!row) {
        row = {
          definitionId,
          kind,
          priority: p,
          targetSeconds: p === null ? null : this.targetOf(definitionId, p),
          total: 0,
          met: 0,
          breached: 0,
          percent: null,
        };
        this.rows.set(key, row);
      }
      row.total++;
      if (breached) row.breached++;
      else row.met++;
    }
  }

  /** Percentage of met records of a kind over all priorities; null when none. */
  percentOf(kind: SlaKind): number | null {
    let total = 0;
    let met = 0;
    for (const r of this.rows.values()) {
      if (r.kind === kind && r.priority === null) {
        total += r.total;
        met += r.met;
      }
    }
    return total ? (met / total) * 100 : null;
  }

  list(): ComplianceRow[] {
    return [...this.rows.values()]
      .map((r) => ({ ...r, percent: r.total ? (r.met / r.total) * 100 : null }))
      .sort(
        (a, b) => a.definitionId.localeCompare(b.definitionId) || (a.priority ?? 99) - (b.priority ?? 99),
      );
  }
}
