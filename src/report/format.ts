import type { Summary } from '../core/sla/stats';

/** Seconds → `3.25 h`; `–` for null. Hours are what service managers compare against targets. */
export function hours(seconds: number | null): string {
  return seconds === null ? '–' : `${(seconds / 3600).toFixed(2)} h`;
}

/** Seconds → `4.5 min`; `–` for null. Acceptance deadlines are minutes, not hours. */
export function minutes(seconds: number | null): string {
  return seconds === null ? '–' : `${(seconds / 60).toFixed(1)} min`;
}

/** Percentage with one decimal; `–` when there was nothing to measure. */
export function percent(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} %`;
}

/** Target durations as written in config style: `15m`, `4h`, `3d` (business days count calendar hours). */
export function target(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** `count · mean / median / p90` in hours. */
export function summaryLine(s: Summary): string {
  return `${s.count} · ${hours(s.mean)} / ${hours(s.median)} / ${hours(s.p90)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** ISO instant → `2016-03-04 12:00` in the given zone, for tables read by people. */
export function localTime(isoText: string | null, timeZone: string): string {
  if (!isoText) return '–';
  let f = formatters.get(timeZone);
  if (!f) {
    // Creating a formatter costs far more than using one; a report formats thousands of instants.
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f.format(new Date(isoText));
}

/** `P1`, or `–` for a ticket without priority. */
export function priorityLabel(p: number | null): string {
  return p === null ? '–' : `P${p}`;
}
