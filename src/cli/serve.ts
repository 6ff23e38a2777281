import type { Command } from 'commander';
import { loadedConfigOrReport } from './loaded-config';
import { startApp } from '../main';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server, correlation and (later) the outbox')
    .option(
      '-c, --config <file>',
      'config file (default: ITSM_CONFIG, ./itsm-bridge.yaml, else itsm-bridge.example.yaml)',
    )
    .action(async (opts: { config?: string }) => {
      const loaded = loadedConfigOrReport(opts.config);
      if (!loaded) return;
      let app: Awaited<ReturnType<typeof startApp>>;
      try {
        app = await startApp({ loaded: loaded });
      } catch (err) {
        // A refusal to start (an exposed sandbox, …) is an answer for the operator, not a stack trace.
        process.stderr.write(`itsm-bridge: ${(err as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      const lines = [`itsm-bridge is running at ${app.url}  (config: ${loaded.file})`];
      if (app.generated.webhookToken) {
        lines.push(
          `Webhook token (generated; set WEBHOOK_TOKEN to keep one across restarts): ${app.generated.webhookToken}`,
        );
      }
      if (app.generated.apiToken)
        lines.push(`API token (generated; set API_TOKEN): ${app.generated.apiToken}`);
      lines.push(`Try: curl -H "Authorization: Bearer <api token>" ${app.url}/api/incidents`);
      process.stdout.write(`${lines.join('\n')}\n`);
      const deadlineMs = loaded.env.SHUTDOWN_DEADLINE_SECONDS * 1000;
      let stopping = false;
      // First signal: drain within the deadline, exit 0. A second signal or the deadline: exit 1 at
      // once — acknowledged alerts are committed before their 202, and a command whose remote call did
      // not finish stays pending and runs (a create looks its ticket up first) after the restart.
      const stop = (signal: string) => {
        if (stopping) {
          process.stderr.write(`${signal} again: exiting now; unfinished commands run after the restart\n`);
          process.exit(1);
        }
        stopping = true;
        process.stderr.write(`${signal}: shutting down (deadline ${deadlineMs / 1000} s)\n`);
        setTimeout(() => {
          process.stderr.write(
            'shutdown deadline passed: exiting now; unfinished commands run after the restart\n',
          );
          process.exit(1);
        }, deadlineMs).unref();
        app.shutdown().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`shutdown failed: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
