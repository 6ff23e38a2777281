import { randomBytes } from 'node:crypto';
import { Secret } from './config/secret';
import { AlertSource } from './core/alert/alert';
import { onCallSchedules } from './config/oncall';
import { runbooksDir } from './config/runbooks-dir';
import type { LoadedConfig } from './config/load-config';
import { CorrelationLoop } from './app/correlation-loop';
import { ingestAlerts } from './app/ingest-alerts';
import { offerIncidentHandoff } from './app/offer-incident-handoff';
import { decideIncidentHandoff } from './app/decide-incident-handoff';
import { tickHandoffs } from './app/tick-handoffs';
import type { Clock } from './ports/clock';
import { systemClock } from '../integrations/clock/system-clock';
import type { Logger } from './ports/logger';
import { createRequestHandler, type Mount } from '../handlers/http/server';
import { listenStarting, serve } from '../handlers/http/listen';
import { Metrics } from '../handlers/http/metrics';
import { openSqliteStore } from '../integrations/storage/sqlite/open-sqlite-store';
import { jsonLogger } from '../integrations/logging/json-logger';
import type { SqliteStore } from '../integrations/storage/sqlite/sqlite-store';
import { createSandboxes, ticketLanes } from './composition/wire-ticketing';
import type { Sandboxes } from '../integrations/sandbox/create-sandbox';
import { OutboxWorker, type LaneSpec } from './app/outbox-worker';
import { LANES, type Lane } from './core/outbox/outbox-command';
import { loadRunbooks } from '../integrations/runbooks/load-runbooks';
import { createReportsHandler } from '../handlers/http/reports';
import { buildSlaReport } from './app/build-sla-report';
import { incidentTicketSource } from './app/incident-ticket-source';
import { chatLanes, teamsEnabled, wireChat, type ChatWiring } from './composition/wire-chat';
import { renderHtml } from './report/render-html';
import { renderCsv } from './report/render-csv';
import { startPrivacyJobs } from './composition/wire-privacy';

export interface RunningApp {
  url: string;
  store: SqliteStore;
  correlation: CorrelationLoop;
  outbox: OutboxWorker;
  /** The emulators mounted under /sandbox/* for systems without configuration. */
  sandboxes: Sandboxes;
  /** The chat side (Slack, Teams), null when both are off. */
  chat: ChatWiring | null;
  /** Tokens generated at start because none were configured (printed once by `serve`). */
  generated: { webhookToken?: string; apiToken?: string };
  close(): Promise<void>;
}

export interface StartOptions {
  loaded: LoadedConfig;
  clock?: Clock;
  logger?: Logger;
  /** Extra handlers mounted on the server (tests, later issues). */
  mounts?: Mount[];
  correlationPollMs?: number;
  outboxPollMs?: number;
}

const newToken = () => randomBytes(24).toString('base64url');

/** Composition root: the only place that picks concrete adapters and wires them to the use-cases. */
export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const { config, env } = opts.loaded;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? jsonLogger({ clock, level: env.LOG_LEVEL });
  if (!env.DATABASE_URL.startsWith('sqlite:'))
    throw new Error('only sqlite: DATABASE_URL is supported in this version');
  const store = await openSqliteStore(env.DATABASE_URL, {
    synchronous: env.SQLITE_SYNCHRONOUS,
    busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS,
  });

  // Never accept unauthenticated webhooks: without configured tokens, make one and print it once.
  const generated: RunningApp['generated'] = {};
  const tokens = { ...opts.loaded.tokens };
  const missing = AlertSource.options.filter((s) => !tokens[s]);
  if (missing.length > 0) {
    generated.webhookToken = newToken();
    for (const s of missing) tokens[s] = new Secret(generated.webhookToken);
  }
  let apiToken = env.API_TOKEN;
  if (!apiToken) {
    generated.apiToken = newToken();
    apiToken = new Secret(generated.apiToken);
  }

  const loadedRunbooks = await loadRunbooks(runbooksDir(opts.loaded.file, config.runbooks.dir));
  for (const e of loadedRunbooks.errors)
    logger.warn('runbook not loaded', { file: e.file, path: e.path, error: e.message });
  const runbooks = loadedRunbooks.runbooks;
  const slackOn = config.slack.enabled;
  const teamsOn = teamsEnabled(config, env);
  const sandbox = createSandboxes(config, {
    slack: slackOn && !env.SLACK_BOT_TOKEN,
    teams: teamsOn && !env.TEAMS_APP_ID && !env.TEAMS_WORKFLOW_URL,
  });
  const sandboxes: Sandboxes = sandbox?.emulators ?? {};
  const ticketing = {
    lanes: config.tickets.systems,
    chatLanes: chatLanes(config, env),
    groupWait: config.correlation.groupWait,
    noteInterval: config.tickets.noteInterval,
    chatInterval: config.slack.updateInterval,
  };
  const oncall = { providers: config.providers, schedules: onCallSchedules(config.oncall) };
  const buildReport = (month: string) =>
    buildSlaReport({ month, config: config.sla, source: incidentTicketSource(store.histories), clock });

  // The sandbox and the ticket adapters need the server's own URL: listen first (only the sandbox
  // answers meanwhile, everything else gets 503 "starting"), wire with the URL, then serve.
  const { server, url } = await listenStarting(env.PORT, env.HOST, sandbox?.mounts ?? []);
  // The worker comes before its lanes, so correlation and chat actions can wake it.
  const outbox = new OutboxWorker({
    store,
    clock,
    logger,
    chatLanes: ticketing.chatLanes,
    chatInterval: config.slack.updateInterval,
    maxBackoff: config.tickets.maxBackoff,
    pollMs: opts.outboxPollMs ?? config.tickets.pollInterval * 1000,
  });
  const inFlight = { count: 0 };
  const handoffDeps = { store, clock, ticketing, providers: config.providers.map((p) => p.name) };
  const correlation = new CorrelationLoop(
    {
      store,
      clock,
      logger,
      routing: config.routing,
      correlation: config.correlation,
      maintenance: config.maintenance,
      runbooks,
      ticketing,
    },
    {
      pollMs: opts.correlationPollMs ?? 1000,
      batchSize: 25,
      busy: () => inFlight.count > 0,
      afterBatch: () => outbox.wake(),
      timers: () => tickHandoffs(handoffDeps),
    },
  );
  const chat =
    slackOn || teamsOn
      ? await wireChat({
          config,
          env,
          store,
          clock,
          logger,
          url,
          runbooks,
          ticketing,
          sandbox,
          oncallSchedules: oncall.schedules,
          afterChange: () => outbox.wake(),
          report: async (month) => {
            const report = await buildReport(month);
            return { report, html: renderHtml(report), csv: renderCsv(report) };
          },
        })
      : null;
  const tickets = ticketLanes({ config, store, clock, logger, url, runbooks, sandbox });
  const lanes: Partial<Record<Lane, LaneSpec>> = { ...tickets.lanes, ...chat?.lanes };
  for (const lane of LANES) {
    const spec = lanes[lane];
    if (spec) outbox.addLane(lane, spec);
  }
  await chat?.start();

  // Hand-offs from the API act as `api`; the outbox picks their commands up at once.
  const API_ACTOR = { id: 'api', name: null, email: null };
  const thenWake = async <T>(p: Promise<T>) => {
    const r = await p;
    outbox.wake();
    return r;
  };
  serve(
    server,
    createRequestHandler({
      store,
      handoffs: {
        store,
        offer: (o) => thenWake(offerIncidentHandoff(handoffDeps, API_ACTOR, o)),
        accept: (id) => thenWake(decideIncidentHandoff(handoffDeps, API_ACTOR, id, { kind: 'accept' })),
        reject: (id, reason) =>
          thenWake(decideIncidentHandoff(handoffDeps, API_ACTOR, id, { kind: 'reject', reason })),
        cancel: (id) => thenWake(decideIncidentHandoff(handoffDeps, API_ACTOR, id, { kind: 'cancel' })),
      },
      logger,
      metrics: new Metrics(),
      apiToken,
      maxInFlight: config.server.maxInFlight,
      inFlight,
      maxCorrelationLagSeconds: 60,
      oncall,
      mounts: [
        ...(opts.mounts ?? []),
        ...(chat?.mounts ?? []),
        createReportsHandler({ clock, logger, buildReport }),
        ...(sandbox?.mounts ?? []),
      ],
      now: () => clock.now(),
      webhooks: {
        sources: config.sources,
        tokens,
        bodyLimit: config.server.bodyLimit,
        keyMode: config.correlation.alertmanagerKey,
        now: () => clock.now(),
        logger,
        ingest: (alerts) => ingestAlerts({ store, onAccepted: () => correlation.wake() }, alerts),
      },
    }),
  );
  correlation.start();
  outbox.start();
  const privacyJobs = startPrivacyJobs({ config, env, store, clock, logger });
  logger.info('itsm-bridge listening', {
    url,
    config: opts.loaded.file,
    database: env.DATABASE_URL,
    sandboxes: Object.keys(sandboxes),
  });

  return {
    url,
    store,
    correlation,
    outbox,
    sandboxes,
    chat,
    generated,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await privacyJobs.stop();
      await correlation.stop();
      await outbox.stop();
      await chat?.stop();
      await store.close();
    },
  };
}
