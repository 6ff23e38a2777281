#!/usr/bin/env node
import { Command } from 'commander';
import { registerAlertCommand } from './cli/alert';
import { registerAuditCommand } from './cli/audit';
import { registerCheckConfigCommand } from './cli/check-config';
import { registerServeCommand } from './cli/serve';
import { loadDotEnv } from './config/env';

/** `itsm-bridge <command>`; `npm start` runs `serve`. */
export function buildCli(): Command {
  const program = new Command('itsm-bridge')
    .description('monitoring alerts → ServiceNow, Jira and chat')
    .showHelpAfterError();
  registerServeCommand(program);
  registerCheckConfigCommand(program);
  registerAlertCommand(program);
  registerAuditCommand(program);
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
