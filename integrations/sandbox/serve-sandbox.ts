import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { JiraConfig } from '../../src/config/jira';
import type { Provider } from '../../src/config/providers';
import type { ServiceNowConfig } from '../../src/config/servicenow';
import { createSandbox, type Sandboxes } from './create-sandbox';
import type { CallLogEntry, Faults } from './faults';
import { readBody, writeResponse, type EmuResponse } from './http-util';
import { createPagerDutyEmulator, type PagerDutyEmulator } from './pagerduty/emulator';
import { SANDBOX_IDENTITIES } from './sandbox-identities';

/** Every emulator of the shared sandbox, PagerDuty included. */
export type SharedEmulators = Required<Sandboxes> & { pagerduty: PagerDutyEmulator };
export type SandboxSystem = keyof SharedEmulators;
const SYSTEMS = ['servicenow', 'jira', 'slack', 'teams', 'pagerduty'] as const satisfies SandboxSystem[];

/** Where the control API answers; below /sandbox like the emulators, so one prefix is reserved. */
export const CONTROL_PATH = '/sandbox/_control';

export interface SharedSandbox {
  /** `http://host:port` — what the bridges get as SANDBOX_URL. */
  url: string;
  emulators: SharedEmulators;
  close(): Promise<void>;
}

/**
 * The emulators as their own process (`itsm-bridge sandbox`): one HTTP server with ServiceNow, Jira,
 * Slack, Teams and PagerDuty under the same /sandbox/<vendor> paths as when mounted on a bridge, seeded
 * from the same configuration, so that several bridge instances pointed at it by SANDBOX_URL share one
 * of each. A small control API under /sandbox/_control reads call logs and tickets and scripts faults.
 */
export async function serveSandbox(o: {
  port: number;
  host: string;
  servicenow: ServiceNowConfig;
  jira: JiraConfig;
  providers: Provider[];
}): Promise<SharedSandbox> {
  const sandbox = createSandbox({
    servicenow: o.servicenow,
    jira: o.jira,
    providers: o.providers,
    run: { servicenow: true, jira: true, slack: true, teams: true },
  });
  const { servicenow, jira, slack, teams } = sandbox.emulators;
  if (!servicenow || !jira || !slack || !teams) throw new Error('the sandbox did not create every emulator');
  const emulators: SharedEmulators = {
    servicenow,
    jira,
    slack,
    teams,
    pagerduty: createPagerDutyEmulator({ prefix: SANDBOX_IDENTITIES.pagerduty.path }),
  };
  const mounts = Object.values(emulators).map(
    (e) => (req: IncomingMessage, res: ServerResponse) => e.handle(req, res),
  );
  const server = createServer((req, res) => {
    const route = async () => {
      if ((req.url ?? '').startsWith(`${CONTROL_PATH}/`))
        return writeResponse(res, await control(req, emulators));
      for (const mount of mounts) if (await mount(req, res)) return;
      writeResponse(
        res,
        notFound(`no sandbox system at ${req.url ?? ''}; systems are under /sandbox/<vendor>`),
      );
    };
    route().catch((err: unknown) =>
      writeResponse(res, { status: 500, body: { error: 'sandbox_failed', message: String(err) } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`,
    emulators,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const notFound = (message: string): EmuResponse => ({ status: 404, body: { error: 'not_found', message } });
const badRequest = (field: string, message: string): EmuResponse => ({
  status: 400,
  body: { error: 'invalid_request', field, message },
});

/** What `POST /sandbox/_control/faults/<system>` may change; everything else stays as it is. */
const FaultsChange = z
  .object({
    script: z
      .array(
        z
          .object({
            kind: z.enum(['ok', 'error', 'rateLimit', 'timeout', 'queued']),
            method: z.string().max(10).optional(),
            path: z.string().max(200).optional(),
            status: z.number().int().min(400).max(599).optional(),
            retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
            holdMs: z.number().int().min(0).max(60_000).optional(),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    maxConcurrent: z.number().int().min(1).max(1000).nullable().optional(),
    latencyMs: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

/**
 * The control API: `GET calls/<system>` (call log, and ServiceNow's in-flight peak), `GET tickets`
 * (ServiceNow incidents and Jira issues by their correlation ids), `POST faults/<system>` (scripted
 * faults, a concurrency cap, latency). Bad input gets 400 naming the field and changes nothing.
 */
async function control(req: IncomingMessage, emulators: SharedEmulators): Promise<EmuResponse> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const [action, system, ...rest] = url.pathname.slice(CONTROL_PATH.length + 1).split('/');
  if (rest.length > 0) return notFound(`unknown control path ${url.pathname}`);
  if (req.method === 'GET' && action === 'tickets' && !system)
    return { status: 200, body: tickets(emulators) };
  if (action !== 'calls' && action !== 'faults') return notFound(`unknown control path ${url.pathname}`);
  const name = SYSTEMS.find((s) => s === system);
  if (!name) return badRequest('system', `one of ${SYSTEMS.join(', ')}`);
  if (action === 'calls' && req.method === 'GET')
    return {
      status: 200,
      body: {
        system: name,
        calls: callLog(emulators, name),
        ...(name === 'servicenow' ? { inFlightPeak: emulators.servicenow.inFlightPeak() } : {}),
      },
    };
  if (action !== 'faults' || req.method !== 'POST')
    return { status: 405, body: { error: 'method_not_allowed' } };
  let body: unknown;
  try {
    body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
  } catch (err) {
    return badRequest('body', `a JSON object of at most 64 KiB (${(err as Error).message})`);
  }
  const change = FaultsChange.safeParse(body);
  if (!change.success) {
    const issue = change.error.issues[0]!;
    return badRequest(issue.path.join('.') || 'body', issue.message);
  }
  const faults: Faults = emulators[name].faults;
  const c = change.data;
  if (c.script) faults.script.push(...c.script);
  if (c.maxConcurrent !== undefined) faults.maxConcurrent = c.maxConcurrent;
  if (c.latencyMs !== undefined) faults.latencyMs = c.latencyMs;
  return {
    status: 200,
    body: {
      system: name,
      script: faults.script.length,
      maxConcurrent: faults.maxConcurrent,
      latencyMs: faults.latencyMs,
    },
  };
}

function callLog(emulators: SharedEmulators, system: SandboxSystem): CallLogEntry[] {
  switch (system) {
    case 'servicenow':
      return emulators.servicenow.state.callLog;
    case 'jira':
      return emulators.jira.state.callLog;
    case 'slack':
      return emulators.slack.calls;
    case 'teams':
      return emulators.teams.state.callLog;
    case 'pagerduty':
      return emulators.pagerduty.callLog;
  }
}

/** The tickets in the sandbox, reduced to what tells which incident they belong to. */
function tickets(emulators: SharedEmulators) {
  return {
    servicenow: emulators.servicenow.state.incidents.map((r) => ({
      number: r.number,
      sys_id: r.sys_id,
      correlation_id: r.correlation_id,
      state: r.state,
      short_description: r.short_description,
    })),
    jira: emulators.jira.state.issues.map((i) => ({
      key: i.key,
      labels: i.labels,
      summary: i.summary,
      status: emulators.jira.state.statuses.find((s) => s.id === i.statusId)?.name ?? i.statusId,
    })),
  };
}
