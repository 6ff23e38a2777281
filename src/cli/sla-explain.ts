import { Command, Option } from 'commander';
import { explainSlaTicket } from '../app/explain-sla-ticket';
import { SlaConfig } from '../config/sla';
import { systemClock } from '../../integrations/clock/system-clock';
import { renderExplanationHtml, renderExplanationMarkdown } from '../report/render-explanation';
import { month, pickSource, sourceOptions, type ReportCommandDeps, type SourceOptions } from './report';
import { progressBar } from './progress-bar';

interface ExplainOptions extends SourceOptions {
  month: string;
  format: 'md' | 'json' | 'html';
}

/**
 * Adds `sla explain <ticket> --month YYYY-MM [--format md|json|html] [--source …]`: every update read,
 * each clock stretch, target, breach point and the figures the ticket enters in that month's report.
 * Exits 1 naming the ticket when the source has no such ticket.
 */
export function registerSlaExplainCommand(program: Command, deps: ReportCommandDeps): void {
  const sla = program.command('sla').description('SLA figures');
  const explain = sla
    .command('explain')
    .description("explain one ticket's figures in a month's SLA report")
    .argument('<ticket>', 'ticket number (INC0000137) or source id')
    .requiredOption('--month <YYYY-MM>', 'report month', month)
    .addOption(
      new Option('--format <format>', 'output format').choices(['md', 'json', 'html']).default('md'),
    );
  sourceOptions(explain).action(async (ticket: string, opts: ExplainOptions) => {
    const stderr = deps.stderr ?? process.stderr;
    const bar = progressBar(stderr);
    const explanation = await explainSlaTicket({
      ticket,
      month: opts.month,
      config: deps.slaConfig?.() ?? SlaConfig.parse({}),
      source: pickSource(opts, deps),
      clock: deps.clock ?? systemClock,
      onProgress: bar.update,
    });
    bar.done();
    if (!explanation) {
      program.error(`ticket "${ticket}" not found in source ${opts.source} for ${opts.month}`, {
        exitCode: 1,
      });
      return;
    }
    const out =
      opts.format === 'json'
        ? `${JSON.stringify(explanation, null, 2)}\n`
        : opts.format === 'html'
          ? renderExplanationHtml(explanation)
          : renderExplanationMarkdown(explanation);
    (deps.stdout ?? process.stdout).write(out);
  });
}
