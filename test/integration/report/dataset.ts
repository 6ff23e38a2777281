import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildSlaReport } from '../../../src/app/build-sla-report';
import { explainSlaTicket } from '../../../src/app/explain-sla-ticket';
import type { SlaExplanation } from '../../../src/core/sla/explain-ticket';
import { SlaConfig } from '../../../src/config/sla';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { CsvTicketSource } from '../../../src/sla/csv-ticket-source';

/** The real ServiceNow export, committed under test/fixtures (origin and licence in test/fixtures/README.md). */
export const DATASET = join(__dirname, '..', '..', 'fixtures', 'servicenow-csv', 'incident-event-log.csv');
export const fixedClock = { now: () => new Date('2026-11-27T12:00:00Z') };

/** The real export → report for 2016-03 with the default config (CSV times read as UTC). */
export function datasetReport(month = '2016-03'): Promise<SlaReport> {
  return buildSlaReport({
    month,
    config: SlaConfig.parse({}),
    source: new CsvTicketSource({ file: DATASET }),
    clock: fixedClock,
  });
}

/** `sla explain` of one ticket of the real export, default config. */
export function datasetExplanation(ticket: string, month = '2016-03'): Promise<SlaExplanation | null> {
  return explainSlaTicket({
    ticket,
    month,
    config: SlaConfig.parse({}),
    source: new CsvTicketSource({ file: DATASET }),
    clock: fixedClock,
  });
}

export type Row = Record<string, string>;

/** The raw rows, parsed independently of the source under test. */
export function datasetRows(): Row[] {
  return parse(readFileSync(DATASET), { columns: true }) as Row[];
}

/** `DD-MM-YYYY HH:MM` as UTC, written out by hand rather than through the code under test. */
export function utc(s: string): number {
  const [d, m, rest] = s.split('-');
  const [y, hm] = (rest ?? '').split(' ');
  return Date.parse(`${y}-${m}-${d}T${hm}:00Z`);
}
