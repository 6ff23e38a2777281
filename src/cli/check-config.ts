import type { Command } from 'commander';
import { formatProblems, loadConfig, type ConfigProblem } from '../config/load-config';
import { runbooksDir } from '../config/runbooks-dir';
import { loadRunbooks } from '../../integrations/runbooks/load-runbooks';

export function registerCheckConfigCommand(program: Command): void {
  program
    .command('check-config')
    .argument('[file]', 'config file to check')
    .description('validate the configuration (and runbooks); exit 1 listing every problem')
    .action(async (file: string | undefined) => {
      const loaded = loadConfig({ file });
      if (loaded.ok) {
        // Runbooks are part of the configuration: every file valid, every id a routing rule names present.
        const dir = runbooksDir(loaded.value.file, loaded.value.config.runbooks.dir);
        const rb = await loadRunbooks(dir);
        const problems: ConfigProblem[] = rb.errors.map((e) => ({
          path: `runbooks/${e.file}${e.path ? `: ${e.path}` : ''}`,
          message: e.message,
        }));
        const ids = new Set(rb.runbooks.map((r) => r.id));
        loaded.value.config.routing.rules.forEach((r, i) => {
          if (r.runbook && !ids.has(r.runbook))
            problems.push({
              path: `routing.rules.${i}.runbook`,
              message: `no runbook with id "${r.runbook}" in ${dir}`,
              hint: `known: ${[...ids].join(', ')}`,
            });
        });
        if (problems.length > 0) {
          process.stderr.write(
            `${loaded.value.file}: ${problems.length} problem(s)\n${formatProblems(problems)}\n`,
          );
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${dir}: ${rb.runbooks.length} runbooks OK\n`);
      }
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
