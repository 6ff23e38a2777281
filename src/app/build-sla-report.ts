import type { SlaConfig } from '../config/sla';
import { evaluateTicketDetailed } from '../core/sla/evaluate-ticket';
import { ReportAccumulator } from '../core/sla/report-accumulator';
import type { SlaReport } from '../core/sla/report-model';
import type { Clock } from '../ports/clock';
import type { SourceProgress, TicketSource } from '../ports/ticket-source';
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
 * Builds the monthly SLA report: streams ticket histories from the source, evaluates every SLA as of the
 * end of the month (or now, for the month in progress) and folds the records into the report. Nothing but the history and the config
 * enters a figure, so the same inputs always give the same report (except `generatedAt`).
 */
export async function buildSlaReport(input: BuildSlaReportInput): Promise<SlaReport> {
  const { config, month } = input;
  const engine = compileSlaEngine(config, Number(month.slice(0, 4)));
  const now = input.clock.now();
  const acc = new ReportAccumulator({
    month,
    timeZone: config.reportTimeZone,
    trendMonths: config.trendMonths,
    definitions: compileDefinitions(config),
    source: input.source.name,
    generatedAt: now.toISOString(),
    keepRecords: input.keepRecords ?? true,
    now: now.getTime(),
  });
  const from = new Date((acc.windows[0] ?? acc.window).start);
  const query = {
    from,
    to: new Date(acc.asOf),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  };
  for await (const ticket of input.source.tickets(query)) {
    const evaluation = evaluateTicketDetailed(ticket, engine, acc.asOf);
    acc.add(ticket, evaluation.records, evaluation.externalMadeSla);
  }
  return acc.finish();
}
