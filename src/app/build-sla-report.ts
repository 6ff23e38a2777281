import type { SlaConfig } from '../config/sla';
import { evaluateTicketDetailed, type SlaEngine } from '../core/sla/evaluate-ticket';
import { ReportAccumulator, type ReportOptions } from '../core/sla/report-accumulator';
import type { SlaReport } from '../core/sla/report-model';
import type { Clock } from '../ports/clock';
import type { SourceProgress, TicketQuery, TicketSource } from '../ports/ticket-source';
import { trendWindows } from '../core/sla/report-period';
import { compileDefinitions, compileSlaEngine } from '../sla/compile-sla';

/** Inputs of the monthly report use-case. */
export interface BuildSlaReportInput {
  /** `YYYY-MM` (validated by the caller). */
  month: string;
  config: SlaConfig;
  source: TicketSource;
  clock: Clock;
  /** Keep one row per SLA record (needed for CSV and JSON); default true. */
  keepRecords?: boolean;
  onProgress?: (progress: SourceProgress) => void;
}

/**
 * Engine, report options and source query of one month, shared by the report and `sla explain` so they
 * never differ.
 */
export function slaReportSetup(input: Omit<BuildSlaReportInput, 'keepRecords'> & { keepRecords?: boolean }): {
  engine: SlaEngine;
  options: ReportOptions;
  query: TicketQuery;
} {
  const { config, month } = input;
  const now = input.clock.now();
  const windows = trendWindows(month, config.trendMonths, config.reportTimeZone);
  const end = windows[windows.length - 1]?.end ?? now.getTime();
  return {
    query: {
      from: new Date(windows[0]?.start ?? end),
      to: new Date(Math.min(end, now.getTime())),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
    engine: compileSlaEngine(config, Number(month.slice(0, 4))),
    options: {
      month,
      timeZone: config.reportTimeZone,
      trendMonths: config.trendMonths,
      definitions: compileDefinitions(config),
      source: input.source.name,
      generatedAt: now.toISOString(),
      keepRecords: input.keepRecords ?? true,
      now: now.getTime(),
    },
  };
}

/**
 * Builds the monthly SLA report: streams ticket histories from the source, evaluates every SLA as of the
 * end of the month (or now, for the month in progress) and folds the records into the report. Nothing
 * but the history and the config enters a figure, so the same inputs always give the same report
 * (except `generatedAt`).
 */
export async function buildSlaReport(input: BuildSlaReportInput): Promise<SlaReport> {
  const { engine, options, query } = slaReportSetup(input);
  const acc = new ReportAccumulator(options);
  for await (const ticket of input.source.tickets(query)) {
    const evaluation = evaluateTicketDetailed(ticket, engine, acc.asOf);
    acc.add(ticket, evaluation.records, evaluation.externalMadeSla);
  }
  return acc.finish();
}
