import type { Command } from 'commander';
import { formatProblems, loadConfig } from '../config/load-config';

export function registerCheckConfigCommand(program: Command): void {
  program
    .command('check-config')
    .argument('[file]', 'config file to check')
    .description('validate the configuration (and runbooks); exit 1 listing every problem')
    .action((file: string | undefined) => {
      const loaded = loadConfig({ file });
      if (!loaded.ok) {
        process.stderr.write(
          `${loaded.file}: ${loaded.problems.length} problem(s)\n${formatProblems(loaded.problems)}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const c = loaded.value.config;
      process.stdout.write(
        `${loaded.value.file}: OK — ${c.providers.length} providers, ${c.routing.rules.length} routing rules, ${c.maintenance.length} maintenance windows\n`,
      );
    });
}
