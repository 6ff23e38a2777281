import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildSlaReport } from '../app/build-sla-report';
import { SlaConfig } from '../config/sla';
import { isMonth } from '../core/sla/report-period';
import type { Clock } from '../ports/clock';
import { systemClock } from '../../integrations/clock/system-clock';
import type { TicketSource } from '../ports/ticket-source';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/render-report';
import { CsvTicketSource } from '../sla/csv-ticket-source';
import { progressBar } from './progress-bar';

export type ReportSourceName = 'store' | 'servicenow' | 'jira' | 'csv';

/** What the composition root hands in; everything is optional so the command also runs on its own. */
export interface ReportCommandDeps {
  /** The parsed `sla` config section; defaults to `SlaConfig.parse({})`. */
  slaConfig?: () => SlaConfig;
  /** Factories for sources that need configured adapters (store, ServiceNow). */
  sources?: Partial<Record<Exclude<ReportSourceName, 'csv'>, () => TicketSource>>;
  clock?: Clock;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

/** Where tickets come from: the options `report` and `sla explain` share. */
export interface SourceOptions {
  source: ReportSourceName;
  file?: string;
  csvTimeZone: string;
}

interface ReportOptions extends SourceOptions {
  month: string;
  format: ReportFormat;
  out?: string;
}

/** Commander parser for `--month`. */
export function month(value: string): string {
  if (!isMonth(value)) throw new InvalidArgumentError('expected YYYY-MM, e.g. 2026-10');
  return value;
}

/** Adds `--source`, `--file` and `--csv-time-zone` to a command. */
export function sourceOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--source <source>', 'where ticket histories come from')
        .choices(['store', 'servicenow', 'jira', 'csv'])
        .default('store'),
    )
    .option('--file <path>', 'CSV export for --source csv')
    .option('--csv-time-zone <zone>', 'time zone of the times in the CSV export', 'UTC');
}

/** The ticket source the options name. */
export function pickSource(opts: SourceOptions, deps: ReportCommandDeps): TicketSource {
  if (opts.source === 'csv') {
    if (!opts.file) throw new InvalidArgumentError('--source csv needs --file <path>');
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: opts.csvTimeZone });
    } catch {
      throw new InvalidArgumentError(`--csv-time-zone: "${opts.csvTimeZone}" is not an IANA time zone`);
    }
    return new CsvTicketSource({ file: opts.file, timeZone: opts.csvTimeZone });
  }
  const factory = deps.sources?.[opts.source];
  if (!factory)
    throw new InvalidArgumentError(`source "${opts.source}" is not configured in this installation`);
  return factory();
}

/**
 * Adds `report --month YYYY-MM [--format …] [--out file] [--source store|servicenow|csv] [--file path]`.
 * Writes the report to --out (or stdout) and shows import progress on stderr.
 */
export function registerReportCommand(program: Command, deps: ReportCommandDeps = {}): void {
  const report = program
    .command('report')
    .description('build the monthly SLA report')
    .requiredOption('--month <YYYY-MM>', 'report month', month)
    .addOption(new Option('--format <format>', 'output format').choices(REPORT_FORMATS).default('html'))
    .option('--out <file>', 'write to this file instead of stdout');
  sourceOptions(report).action(async (opts: ReportOptions) => {
    const stderr = deps.stderr ?? process.stderr;
    const source = pickSource(opts, deps);
    const bar = progressBar(stderr);
    const report = await buildSlaReport({
      month: opts.month,
      config: deps.slaConfig?.() ?? SlaConfig.parse({}),
      source,
      clock: deps.clock ?? systemClock,
      onProgress: bar.update,
    });
    bar.done();
    const rendered = await renderReport(report, opts.format);
    if (opts.out) {
      writeFileSync(opts.out, rendered.body);
      stderr.write(
        `wrote ${opts.out} (${rendered.body.length} bytes): ${report.totals.tickets} tickets, ${report.totals.breaches} breaches\n`,
      );
    } else {
      (deps.stdout ?? process.stdout).write(rendered.body);
    }
  });
}
