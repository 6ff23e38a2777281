import { Secret } from '../../../src/config/secret';
import { ServiceNowConfig } from '../../../src/config/servicenow';
import type { Logger } from '../../../src/ports/logger';
import type { TicketDraft } from '../../../src/ports/ticket-system';
import {
  createServiceNowEmulator,
  type ServiceNowEmulatorOptions,
} from '../../../integrations/sandbox/servicenow/emulator';
import { sandboxServiceNowAuth } from '../../../integrations/sandbox/sandbox-auth';
import { createServiceNowTicketSystem } from '../../../integrations/servicenow/servicenow-ticket-system';
import { createServiceNowLaneDriver } from '../../../integrations/servicenow/servicenow-lane-driver';
import { systemClock } from '../../../integrations/clock/system-clock';

/** Starts an emulator on an ephemeral port and an adapter pointed at it, through its lane driver. */
export async function startServiceNow(
  opts: { emulator?: ServiceNowEmulatorOptions; config?: Record<string, unknown>; logger?: Logger } = {},
) {
  const emulator = createServiceNowEmulator(opts.emulator);
  const server = await emulator.listen(0);
  const parsed = ServiceNowConfig.parse({ timeoutMs: 2000, ...opts.config });
  // Logged in as in the sandbox: a secret the test leaves out is the sandbox's.
  const config = { ...parsed, auth: sandboxServiceNowAuth(parsed.auth) };
  const driver = createServiceNowLaneDriver({ clock: systemClock, concurrency: config.concurrency });
  const adapter = createServiceNowTicketSystem({
    config,
    baseUrl: server.url,
    transport: driver,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  return { emulator, server, adapter, config, driver };
}

/** `servicenow.auth` for the emulator's OAuth client and integration user (password grant). */
export const SANDBOX_OAUTH = {
  type: 'oauth',
  clientId: 'itsm-bridge',
  clientSecret: new Secret('sandbox'),
  username: 'itsm.bridge',
  password: new Secret('sandbox'),
} as const;

/** Basic auth header for direct calls to the emulator. */
export const basic = (user = 'itsm.bridge', password = 'sandbox'): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function draft(over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    incidentKey: 'alertmanager:branch=berlin:service=dms',
    incidentId: 'inc_01',
    title: 'DMS application down at branch Berlin',
    description: 'The DMS application does not answer at branch Berlin.',
    impact: 2,
    urgency: 1,
    provider: 'dms-app',
    cmdbCi: 'dms-app-01',
    branch: 'berlin',
    alerts: [
      {
        host: 'dms-app-01',
        service: 'dms',
        severity: 'critical',
        status: 'firing',
        summary: 'HTTP check failed',
        startsAt: '2026-01-05T08:00:00Z',
      },
    ],
    runbook: {
      id: 'dms-app-down',
      title: 'DMS application down',
      steps: ['Check the app pool', 'Restart the service'],
    },
    links: [{ label: 'Grafana', url: 'https://grafana.example.com/d/abc' }],
    ...over,
  };
}
