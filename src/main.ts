import { randomBytes } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { Secret } from './config/secret';
import { databaseUrlForLog } from './config/env';
import { AlertSource } from './core/alert/alert';
import { onCallSchedules } from './config/oncall';
import { runbooksDir } from './config/runbooks-dir';
import type { LoadedConfig } from './config/load-config';
import { CorrelationLoop, type CorrelationRunner } from './app/correlation-loop';
import { CorrelationThread, threadShare } from './composition/correlation-thread';
import { WriteTurn } from '../integrations/storage/sqlite/write-turn';
import { ingestAlerts } from './app/ingest-alerts';
import { offerIncidentHandoff } from './app/offer-incident-handoff';
import { decideIncidentHandoff } from './app/decide-incident-handoff';
import { tickHandoffs } from './app/tick-handoffs';
import { tickEscalations } from './app/escalate-incidents';
import { escalationPeople } from './app/escalation-people';
import { escalationPolicies } from './config/escalation';
import { pagingConfigured, pagingLane, pagingSandbox } from './composition/wire-paging';
import type { PagerDutyEmulator } from '../integrations/sandbox/pagerduty/emulator';
import type { Clock } from './ports/clock';
import { systemClock } from '../integrations/clock/system-clock';
import type { Logger } from './ports/logger';
import { createRequestHandler, type Mount } from '../handlers/http/server';
import { listenStarting, serve } from '../handlers/http/listen';
import { PromMetrics } from '../integrations/metrics/prom-metrics';
import { countIncidentEvents } from './app/count-incident-events';
import { requestFields } from './app/request-context';
import { InFlight } from '../handlers/http/in-flight';
import { correlationBatchSize, isSqliteFileUrl, leaseHolder, openStore } from './composition/open-store';
import { LeaderGate } from './app/leader-gate';
import { jsonLogger } from '../integrations/logging/json-logger';
import type { OpenedStore } from './composition/open-store';
import { createSandboxes, ticketLanes } from './composition/wire-ticketing';
import { wireSync, type SyncWiring } from './composition/wire-sync';
import type { RemoteChangeSink } from './core/sync/remote-change';
import type { Sandboxes } from '../integrations/sandbox/create-sandbox';
import { OutboxWorker, type LaneSpec } from './app/outbox-worker';
import { LANES, type Lane } from './core/outbox/outbox-command';
import { loadRunbooks } from '../integrations/runbooks/load-runbooks';
import { createReportsHandler } from '../handlers/http/reports';
import { receiveServiceNowPush } from '../handlers/webhooks/servicenow-push';
import { buildSlaReport } from './app/build-sla-report';
import { explainSlaTicket } from './app/explain-sla-ticket';
import { incidentTicketSource } from './app/incident-ticket-source';
import {
  allSandbox,
  chatLanes,
  chatViewDeps,
  publishedCredentials,
  teamsEnabled,
  wireChat,
  type ChatWiring,
} from './composition/wire-chat';
import { sandboxExposure } from './config/sandbox-exposure';
import { acknowledgeShiftHandover, requestShiftHandover, shiftTimer } from './app/shift-handovers';
import { renderHtml } from './report/render-html';
import { renderCsv } from './report/render-csv';
import { createRedactor } from './core/redact/redact';
import { startDuplicateReconciler } from './app/reconcile-duplicate-tickets';
import {
  publishedPushSecret,
  wireServiceNowSync,
  type ServiceNowSyncWiring,
} from './composition/wire-servicenow-sync';
import { startPrivacyJobs } from './composition/wire-privacy';
import { openSharedLimits } from './composition/open-shared-limits';

export interface RunningApp {
  url: string;
  store: OpenedStore;
  /** The ServiceNow reader of the sync (poll + push), null without a sink or without ServiceNow. */
  servicenowSync: ServiceNowSyncWiring | null;
  correlation: CorrelationRunner;
  outbox: OutboxWorker;
  /** Whether this instance runs the leader-only jobs (several instances on PostgreSQL). */
  leader: LeaderGate;
  /** The emulators mounted under /sandbox/* for systems without configuration. */
  sandboxes: Sandboxes & { pagerduty?: PagerDutyEmulator };
  /** The chat side (Slack, Teams), null when both are off. */
  chat: ChatWiring | null;
  /** The two-way sync: the sink readers hand their changes to, and the Jira sweep run on demand. */
  sync: RemoteChangeSink;
  syncSweep(): Promise<number>;
  syncCheck: SyncWiring['check'];
  /** Tokens generated at start because none were configured (printed once by `serve`). */
  generated: { webhookToken?: string; apiToken?: string };
  /**
   * Graceful shutdown: new requests get 503 + Retry-After (and /healthz says draining), requests in
   * flight finish, correlation finishes its batch and the outbox its remote calls, then everything is
   * committed and closed. Unbounded: the caller (`serve`) puts a deadline on it.
   */
  shutdown(): Promise<void>;
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
  /**
   * Where changes read from ServiceNow go (poll and push) instead of the sync core's
   * `applyRemoteChanges` (which takes them when `sync.enabled`); tests pass a recording sink.
   */
  remoteChangeSink?: RemoteChangeSink;
}

const newToken = () => randomBytes(24).toString('base64url');

/** Composition root: the only place that picks concrete adapters and wires them to the use-cases. */
export async function startApp(opts: StartOptions): Promise<RunningApp> {
  const { config, env } = opts.loaded;
  const clock = opts.clock ?? systemClock;
  const logger =
    opts.logger ??
    jsonLogger({
      clock,
      level: env.LOG_LEVEL,
      pretty: env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
      context: requestFields,
    });
  const slackOn = config.slack.enabled;
  const teamsOn = teamsEnabled(config, env);
  const sandbox = createSandboxes(
    config,
    {
      slack: slackOn && !env.SLACK_BOT_TOKEN,
      teams: teamsOn && !env.TEAMS_APP_ID && !env.TEAMS_WORKFLOW_URL,
    },
    env.SANDBOX_URL,
  );
  const paging = pagingSandbox(config, env.SANDBOX_URL);
  const sandboxes: RunningApp['sandboxes'] = {
    ...sandbox?.emulators,
    ...(paging ? { pagerduty: paging.emulator } : {}),
  };
  // Before anything is opened: a sandbox others can reach answers to published credentials.
  const exposure = sandboxExposure({
    host: env.HOST,
    nodeEnv: env.NODE_ENV,
    allowInsecure: env.ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX,
    active: [
      ...Object.keys(sandboxes).map((s) => `the ${s} sandbox (/sandbox/${s})`),
      ...publishedCredentials(config, env, sandbox),
      ...publishedPushSecret(config, !!opts.remoteChangeSink || config.sync.enabled, allSandbox(config)),
    ],
  });
  if (exposure.kind === 'refuse') throw new Error(exposure.message);
  if (exposure.kind === 'warn') logger.warn(exposure.message, { active: exposure.active });
  // Correlation gets its own thread and SQLite connection on a SQLite file, unless a test drives the
  // clock (the thread keeps the system clock) or the config says otherwise.
  const sqliteOptions = { synchronous: env.SQLITE_SYNCHRONOUS, busyTimeoutMs: env.SQLITE_BUSY_TIMEOUT_MS };
  const turn =
    config.server.correlationThread && !opts.clock && isSqliteFileUrl(env.DATABASE_URL)
      ? WriteTurn.create()
      : null;
  const store = await openStore(env.DATABASE_URL, {
    ...sqliteOptions,
    ...(turn ? { turn: { turn, who: 'event-loop' as const } } : {}),
  });
  // Names this process's outbox claims and leader lease (several instances may share the database).
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  // Jobs only one instance may run (deadlines, shift handovers, monthly report, retention, ServiceNow
  // polling, the Jira sweep, the daily sync check, the duplicate check, audit anchoring) run while this
  // instance holds the `jobs` lease.
  const leader = new LeaderGate({
    lease: store.leaderLease('jobs', leaseHolder(env.DATABASE_URL, instanceId)),
    clock,
    logger,
    leaseMs: env.LEADER_LEASE_SECONDS * 1000,
  });
  const isLeader = () => leader.leading();
  // Every remote system's concurrency, rates and Retry-After pauses, held with the other instances.
  const sharedLimits = await openSharedLimits(env.DATABASE_URL, clock);

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
  const ticketing = {
    lanes: config.tickets.systems,
    chatLanes: chatLanes(config, env),
    groupWait: config.correlation.groupWait,
    noteInterval: config.tickets.noteInterval,
    chatInterval: config.slack.updateInterval,
  };
  // The paging lane's gauges start at 0 too, whenever pagingLane will make one.
  const pagingLanes = pagingConfigured(config) ? (['paging'] as const) : [];
  const metrics = new PromMetrics({
    store,
    clock,
    lanes: [...ticketing.lanes, ...ticketing.chatLanes, ...pagingLanes],
  });
  store.onCommit(countIncidentEvents(metrics));
  const oncall = { providers: config.providers, schedules: onCallSchedules(config.oncall) };
  const buildReport = (month: string) =>
    buildSlaReport({ month, config: config.sla, source: incidentTicketSource(store.histories), clock });
  const explainReport = (ticket: string, month: string) =>
    explainSlaTicket({
      ticket,
      month,
      config: config.sla,
      source: incidentTicketSource(store.histories),
      clock,
    });

  // The sandbox and the ticket adapters need the server's own URL: listen first (only the sandbox
  // answers meanwhile, everything else gets 503 "starting"), wire with the URL, then serve.
  const sandboxMounts = [...(sandbox?.mounts ?? []), ...(paging ? [paging.mount] : [])];
  const limits = config.server;
  const { server, url } = await listenStarting(env.PORT, env.HOST, sandboxMounts, {
    headersTimeoutMs: limits.headersTimeout * 1000,
    requestTimeoutMs: limits.requestTimeout * 1000,
    maxConnections: limits.maxConnections,
  });
  // The worker comes before its lanes, so correlation and chat actions can wake it.
  const outbox = new OutboxWorker({
    store,
    clock,
    logger,
    chatLanes: ticketing.chatLanes,
    chatInterval: config.slack.updateInterval,
    maxBackoff: config.tickets.maxBackoff,
    pollMs: opts.outboxPollMs ?? config.tickets.pollInterval * 1000,
    metrics,
    // SQLite: one owner name across restarts, so a restarted process frees its predecessor's claims.
    instanceId: leaseHolder(env.DATABASE_URL, instanceId),
  });
  const inFlight = new InFlight(config.server.maxInFlight);
  let draining = false;
  const escalation = { policies: escalationPolicies(config.escalation) };
  const leads = Object.fromEntries(Object.entries(config.escalation).map(([name, e]) => [name, e.lead]));
  const paged = pagingLane({
    config,
    clock,
    logger,
    url,
    publicUrl: config.server.publicUrl ?? url,
    metrics,
    ...(env.SANDBOX_URL ? { shared: env.SANDBOX_URL } : {}),
    limits: sharedLimits,
  });
  const escalationDeps = {
    ...escalation,
    store,
    clock,
    redactor: createRedactor(config.redaction),
    chatLanes: ticketing.chatLanes,
    paging: paged !== null,
    publicUrl: config.server.publicUrl ?? url,
    people: escalationPeople({
      ...oncall,
      leads,
      serviceManager: config.serviceManager ?? null,
    }),
  };
  const shiftDeps = {
    ...config.shiftHandover,
    store,
    clock,
    schedules: oncall.schedules,
    onCallNow: (provider: string, at: Date) => escalationDeps.people(provider, at).oncall ?? null,
    leads,
    chatLanes: ticketing.chatLanes,
    sla: config.sla,
    view: chatViewDeps({ config, store, runbooks, url }),
    redactor: escalationDeps.redactor,
  };
  const shiftTick = shiftTimer(shiftDeps);
  const handoffDeps = {
    store,
    clock,
    ticketing,
    providers: config.providers.map((p) => p.name),
    escalation: escalationDeps,
    pingPongAfter: config.handoff.pingPongAfter,
  };
  const correlationSettings = {
    routing: config.routing,
    transitions: Object.fromEntries(
      config.providers.map((p) => [p.name, { shadow: p.shadow, cutover: p.cutover }]),
    ),
    correlation: config.correlation,
    maintenance: config.maintenance,
    runbooks,
    ticketing,
    escalation,
  };
  const correlationTimers = async () =>
    (await isLeader())
      ? (await tickHandoffs(handoffDeps)) + (await tickEscalations(escalationDeps)) + (await shiftTick())
      : 0;
  const correlationOptions = {
    pollMs: opts.correlationPollMs ?? 1000,
    batchSize: correlationBatchSize(env.DATABASE_URL),
  };
  const correlationLoop = () =>
    new CorrelationLoop(
      { ...correlationSettings, store, clock, logger },
      {
        ...correlationOptions,
        busy: () => inFlight.active('webhooks') > 0,
        afterBatch: () => outbox.wake(),
        timers: correlationTimers,
      },
    );
  const correlation: CorrelationRunner = turn
    ? new CorrelationThread({
        data: {
          databaseUrl: env.DATABASE_URL,
          sqlite: sqliteOptions,
          settings: correlationSettings,
          ...correlationOptions,
          maxShare: threadShare(availableParallelism()),
        },
        turn,
        logger,
        clock,
        announce: (events) => store.announceCommitted(events),
        afterBatch: () => outbox.wake(),
        timers: correlationTimers,
        fallback: correlationLoop,
      })
    : correlationLoop();
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
          onCallNow: shiftDeps.onCallNow,
          metrics,
          shifts: {
            request: (provider, by) => requestShiftHandover(shiftDeps, { provider, by }),
            acknowledge: (id, by, name) => acknowledgeShiftHandover(shiftDeps, { id, by, name }),
            get: (id) => store.shifts.get(id),
          },
          afterChange: () => outbox.wake(),
          leader: isLeader,
          limits: sharedLimits,
          report: async (month) => {
            const report = await buildReport(month);
            return { report, html: renderHtml(report), csv: renderCsv(report) };
          },
        })
      : null;
  const tickets = ticketLanes({
    config,
    store,
    clock,
    logger,
    url,
    runbooks,
    sandbox,
    metrics,
    limits: sharedLimits,
  });
  const sync = wireSync({
    config,
    store,
    clock,
    logger,
    url,
    ticketing,
    afterChange: () => outbox.wake(),
    sandbox,
    systems: tickets.systems,
    attachments: tickets.attachments,
    metrics,
    people: tickets.people,
    leading: isLeader,
  });
  const lanes: Partial<Record<Lane, LaneSpec>> = {
    ...tickets.lanes,
    ...chat?.lanes,
    ...(paged ? { paging: paged } : {}),
  };
  for (const lane of LANES) {
    const spec = lanes[lane];
    if (spec) outbox.addLane(lane, spec);
  }
  await chat?.start();
  const snSandbox = sandboxes.servicenow && sandbox?.servicenow;
  // ServiceNow's changes (poll and push) go to the sync core; a test may pass a recording sink instead.
  const servicenowSink = opts.remoteChangeSink ?? (config.sync.enabled ? sync.sink : undefined);
  const servicenowSync =
    servicenowSink && tickets.servicenow
      ? wireServiceNowSync(
          {
            servicenow: tickets.servicenow,
            store,
            logger,
            leading: isLeader,
            attachments: config.sync.enabled,
            url,
            sandbox: snSandbox
              ? {
                  emulator: sandboxes.servicenow!,
                  pushSecret: snSandbox.pushSecret,
                  published: allSandbox(config),
                }
              : null,
          },
          servicenowSink,
        )
      : null;
  // `POST /webhooks/servicenow` (the business rule's push); absent: no push secret configured.
  const servicenowPush = servicenowSync?.push
    ? { ...servicenowSync.push, bodyLimit: config.server.bodyLimit }
    : null;
  if (servicenowSync) metrics.watchServiceNowPoll(() => servicenowSync.poller.status());
  const reconcilers =
    config.tickets.reconcileInterval > 0
      ? tickets.duplicates.map((system) =>
          startDuplicateReconciler(
            {
              incidents: store.incidents,
              system,
              clock,
              logger,
              lookbackSeconds: config.tickets.reconcileLookback,
              audit: (entry) => store.unitOfWork((uow) => uow.audit.append(entry)),
            },
            config.tickets.reconcileInterval * 1000,
            isLeader,
          ),
        )
      : [];

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
      metrics,
      apiToken,
      inFlight,
      bodyTimeoutMs: config.server.bodyTimeout * 1000,
      maxCorrelationLagSeconds: 60,
      correlationRunsOn: () =>
        correlation instanceof CorrelationThread ? correlation.runsOn() : 'event-loop',
      oncall,
      mounts: [
        ...(opts.mounts ?? []),
        ...(chat?.mounts ?? []),
        createReportsHandler({ clock, logger, buildReport, explain: explainReport, apiToken }),
        ...sandboxMounts,
      ],
      now: () => clock.now(),
      draining: () => draining,
      syncWebhooks: {
        ...sync.webhooks,
        ...(servicenowPush
          ? { servicenow: (req, res) => receiveServiceNowPush(servicenowPush, req, res) }
          : {}),
      },
      webhooks: {
        sources: config.sources,
        tokens,
        bodyLimit: config.server.bodyLimit,
        keyMode: config.correlation.alertmanagerKey,
        now: () => clock.now(),
        logger,
        ingest: (alerts) => ingestAlerts({ store, onAccepted: () => correlation.wake(), metrics }, alerts),
      },
    }),
  );
  // Leading first, so the first correlation pass runs the deadlines on a single instance at once.
  await leader.tryNow();
  leader.start();
  correlation.start();
  await outbox.recoverClaims();
  outbox.start();
  servicenowSync?.start();
  sync.start();
  const privacyJobs = startPrivacyJobs({ config, env, store, clock, logger, leader: isLeader });
  logger.info('itsm-bridge listening', {
    url,
    config: opts.loaded.file,
    database: databaseUrlForLog(env.DATABASE_URL),
    sandboxes: Object.keys(sandboxes),
    ...(env.SANDBOX_URL ? { sharedSandbox: env.SANDBOX_URL } : {}),
  });

  const close = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await servicenowSync?.stop();
    await sync.stop();
    await correlation.stop();
    await outbox.stop();
    for (const r of reconcilers) await r.stop();
    await chat?.stop();
    // After everything that appends to the audit chain, so the shutdown anchor signs its last head.
    await privacyJobs.stop();
    await leader.stop();
    await sharedLimits.close();
    await store.close();
  };
  const shutdown = async () => {
    draining = true;
    logger.info('draining: refusing new requests, finishing those in flight', {
      requests: inFlight.count,
    });
    while (inFlight.count > 0) await new Promise((r) => setTimeout(r, 20));
    await correlation.stop();
    await outbox.stop();
    await close();
    logger.info('drained: every acknowledged alert and finished remote call is committed');
  };

  return {
    url,
    store,
    servicenowSync,
    correlation,
    outbox,
    leader,
    sandboxes,
    chat,
    sync: sync.sink,
    syncSweep: sync.sweep,
    syncCheck: sync.check,
    generated,
    shutdown,
    close,
  };
}
