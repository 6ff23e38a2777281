#!/usr/bin/env node
import { Command } from 'commander';
import { registerAlertCommand } from './cli/alert';
import { registerAuditCommand } from './cli/audit';
import { registerCheckConfigCommand } from './cli/check-config';
import { registerServeCommand } from './cli/serve';
import { registerSandboxCommand } from './cli/sandbox';
import { registerReportCommand, type ReportCommandDeps } from './cli/report';
import { registerSlaExplainCommand } from './cli/sla-explain';
import { registerReplayCommand } from './cli/replay';
import { registerPurgeCommand } from './cli/purge';
import { registerExportPersonCommand } from './cli/export-person';
import { registerSyncCommand } from './cli/sync';
import { loadConfig } from './config/load-config';
import { reportSources } from './composition/report-sources';
import { loadDotEnv } from './config/env';

/** `itsm-bridge <command>`; `npm start` runs `serve`. */
export function buildCli(): Command {
  const program = new Command('itsm-bridge')
    .description('monitoring alerts → ServiceNow, Jira and chat')
    .showHelpAfterError();
  registerServeCommand(program);
  registerSandboxCommand(program);
  registerCheckConfigCommand(program);
  registerAlertCommand(program);
  registerAuditCommand(program);
  registerReplayCommand(program);
  registerPurgeCommand(program);
  registerExportPersonCommand(program);
  registerSyncCommand(program);
  // The report reads config lazily, so a CSV report works even where no itsm-bridge.yaml exists.
  const loaded = () => {
    const r = loadConfig();
    if (!r.ok)
      throw new Error(
        `configuration problems:\n${r.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      );
    return r.value;
  };
  const reportDeps: ReportCommandDeps = {
    slaConfig: () => loaded().config.sla,
    sources: {
      store: () => reportSources(loaded()).store!(),
      servicenow: () => {
        const f = reportSources(loaded()).servicenow;
        if (!f) throw new Error('ServiceNow is not configured (servicenow.instanceUrl and its credentials)');
        return f();
      },
      jira: () => {
        const f = reportSources(loaded()).jira;
        if (!f)
          throw new Error('Jira is not configured (jira.baseUrl of a Jira Cloud site and its credentials)');
        return f();
      },
    },
  };
  registerReportCommand(program, reportDeps);
  registerSlaExplainCommand(program, reportDeps);
  return program;
}

if (require.main === module) {
  loadDotEnv();
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    });
}
