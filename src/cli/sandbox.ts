import type { Command } from 'commander';
import { sandboxExposure } from '../config/sandbox-exposure';
import { withProviderDefaults } from '../composition/wire-ticketing';
import { loadedConfigOrReport } from './loaded-config';

/** The port `itsm-bridge sandbox` listens on unless `--port` says otherwise. */
export const DEFAULT_SANDBOX_PORT = 4010;

/**
 * `itsm-bridge sandbox [--port] [--host] [-c config]`: the emulators (ServiceNow, Jira, Slack, Teams,
 * PagerDuty) as their own process, seeded from the same configuration as the bridges, which reach it
 * through SANDBOX_URL. Same exposure rule as a sandbox mounted on a bridge: loopback only unless
 * ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX=1.
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('run the emulators (ServiceNow, Jira, Slack, Teams, PagerDuty) shared by several bridges')
    .option('-p, --port <port>', `port to listen on (0 = any free one)`, String(DEFAULT_SANDBOX_PORT))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-c, --config <file>', 'the bridges’ config file, for the groups, projects and channels to seed')
    .action(async (opts: { port: string; host: string; config?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`--port: a whole number from 0 to 65535, not "${opts.port}"\n`);
        process.exitCode = 1;
        return;
      }
      const loaded = loadedConfigOrReport(opts.config);
      if (!loaded) return;
      const { config, env } = loaded;
      const exposure = sandboxExposure({
        host: opts.host,
        nodeEnv: env.NODE_ENV,
        allowInsecure: env.ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX,
        active: ['the shared sandbox (ServiceNow, Jira, Slack, Teams and PagerDuty under /sandbox)'],
      });
      if (exposure.kind === 'refuse') {
        process.stderr.write(`itsm-bridge sandbox: ${exposure.message}\n`);
        process.exitCode = 1;
        return;
      }
      if (exposure.kind === 'warn') process.stderr.write(`${exposure.message}\n`);
      // Loaded only here: a configured deployment never loads emulator code.
      const { serveSandbox } =
        require('../../integrations/sandbox/serve-sandbox') as typeof import('../../integrations/sandbox/serve-sandbox');
      let sandbox: Awaited<ReturnType<typeof serveSandbox>>;
      try {
        sandbox = await serveSandbox({
          port,
          host: opts.host,
          ...withProviderDefaults(config),
          providers: config.providers,
        });
      } catch (err) {
        process.stderr.write(
          `itsm-bridge sandbox: cannot listen on ${opts.host}:${port}: ${(err as Error).message}\n`,
        );
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `itsm-bridge sandbox is running at ${sandbox.url}  (config: ${loaded.file})\n` +
          `Point each bridge at it: SANDBOX_URL=${sandbox.url}\n`,
      );
      const stop = () => {
        sandbox.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
