import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { Secret } from '../config/secret';
import { createRedactor } from '../core/redact/redact';
import type { RemoteChange, RemoteChangeSink } from '../core/sync/remote-change';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Store } from '../ports/store';
import { applyRemoteChanges, type SyncDeps } from '../app/apply-remote-changes';
import { matchPeople, mentionedNames, type MatchPeopleDeps } from '../app/match-people';
import type { TicketingSettings } from '../app/enqueue-ticket-commands';
import { receiveJiraWebhook } from '../../handlers/webhooks/jira-webhook';
import type { JiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { endpoint, withProviderDefaults } from './wire-ticketing';
import { sweepJira } from '../app/sweep-jira';
import { checkSync, driftedPairs, type SyncCheckReport } from '../app/check-sync';
import type { TicketAttachments } from '../ports/ticket-attachments';
import type { Metrics } from '../ports/metrics';
import type { TicketSystem } from '../ports/ticket-system';
import { PeriodicJob } from '../../handlers/jobs/periodic-job';
import { leaderOnly } from '../app/leader-gate';
import { createJiraChangeReader } from '../../integrations/jira/jira-change-reader';
import { createJiraLaneDriver } from '../../integrations/jira/jira-lane-driver';
import type { Sandbox } from '../../integrations/sandbox/create-sandbox';
import { readJiraWebhook } from '../../integrations/jira/jira-remote-changes';

/** What main.ts gets: the sink, the webhook routes, the sweep (run now, or on its timer). */
export interface SyncWiring {
  sink: RemoteChangeSink;
  deps: SyncDeps;
  webhooks: SyncWebhooks;
  /** One JQL sweep now; returns how many changes Jira reported. */
  sweep(): Promise<number>;
  /** The drift check (`itsm-bridge sync check`); sets the drifted-pairs gauge. */
  check(o: { since: string; repair: boolean }): Promise<SyncCheckReport>;
  start(): void;
  stop(): Promise<void>;
}

/** The drift check over both ticket systems; refuses to run without both. */
export function driftCheck(o: {
  store: Store;
  clock: Clock;
  config: AppConfig;
  systems: Partial<Record<'servicenow' | 'jira', TicketSystem>>;
  /** Both systems' comments and attachments: compared against the ledger too. */
  attachments?: Partial<Record<'servicenow' | 'jira', TicketAttachments>>;
  metrics?: Pick<Metrics, 'syncDrift'>;
}): SyncWiring['check'] {
  const redactor = createRedactor(o.config.redaction);
  return async (run) => {
    const { servicenow, jira } = o.systems;
    if (!servicenow || !jira)
      throw new Error('the sync check needs both ServiceNow and Jira (tickets.systems)');
    const a = o.attachments;
    const content =
      a?.servicenow && a.jira
        ? {
            attachments: { servicenow: a.servicenow, jira: a.jira },
            sync: o.config.sync,
            redactor,
            requestBudget: o.config.sync.checkRequests,
          }
        : undefined;
    const report = await checkSync(
      {
        store: o.store,
        systems: { servicenow, jira },
        sync: o.config.sync,
        clock: o.clock,
        ...(content ? { content } : {}),
      },
      run,
    );
    o.metrics?.syncDrift(driftedPairs(report));
    return report;
  };
}

/** The JQL sweep over our Jira issues, through a Jira lane driver of its own. */
function sweeper(
  o: { config: AppConfig; store: Store; clock: Clock; url: string; sandbox?: Sandbox | null },
  sink: RemoteChangeSink,
  bot: string | null,
): () => Promise<number> {
  const cfg = withProviderDefaults(o.config).jira;
  const { baseUrl, auth } = endpoint(o.config.jira.baseUrl, cfg.auth, o.sandbox?.jira, o.url);
  const reader = createJiraChangeReader({
    config: { ...cfg, auth },
    baseUrl,
    transport: createJiraLaneDriver({ clock: o.clock, concurrency: 2 }),
    clock: o.clock,
    context: { botAccountId: bot },
  });
  const s = o.config.sync.jira;
  return () =>
    sweepJira({
      store: o.store,
      reader,
      sink,
      clock: o.clock,
      windowSeconds: s.sweepWindow,
      lookbackSeconds: s.sweepLookback,
    });
}

/** The routes the sync adds under /webhooks/<system>. */
export type SyncWebhooks = Partial<
  Record<'jira' | 'servicenow', (req: IncomingMessage, res: ServerResponse) => Promise<void>>
>;

/**
 * The two-way sync (issue 11): the sink every reader hands its changes to (`applyRemoteChanges`, then
 * the outbox is woken), the Jira webhook route, and in sandbox mode the emulator's admin webhook to it.
 */
export function wireSync(o: {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  url: string;
  ticketing: Pick<TicketingSettings, 'chatLanes' | 'chatInterval'>;
  afterChange: () => void;
  sandbox?: Sandbox | null;
  /** The ticket adapters (for the drift check's reads) and the drift gauge. */
  systems: Partial<Record<'servicenow' | 'jira', TicketSystem>>;
  attachments?: Partial<Record<'servicenow' | 'jira', TicketAttachments>>;
  metrics?: Pick<Metrics, 'syncDrift'>;
  /** The adapters' people look-ups, for assignee copies (absent: assignees are reported, not copied). */
  people?: Omit<MatchPeopleDeps, 'sync'>;
  /**
   * True while this instance leads: the sweep and the daily check run on the leader only (on every
   * instance they would read the same pairs again, each with its own share of Jira's and ServiceNow's
   * request budget; the sweep's changes are deduplicated anyway, the check's gauge is the leader's).
   */
  leading?: () => Promise<boolean>;
}): SyncWiring {
  const { config } = o;
  const jiraSandbox: JiraEmulator | undefined = o.sandbox?.emulators.jira;
  const groups = withProviderDefaults(config).servicenow.assignmentGroups;
  const deps: SyncDeps = {
    store: o.store,
    clock: o.clock,
    sync: config.sync,
    ticketing: o.ticketing,
    redactor: createRedactor(config.redaction),
    groupProviders: new Map(Object.entries(groups).map(([provider, group]) => [group, provider])),
    providers: config.providers.map((p) => p.name),
    logger: o.logger,
  };
  const sink: RemoteChangeSink = async (changes: readonly RemoteChange[]) => {
    if (!config.sync.enabled) return;
    const people = await matchPeople({ ...o.people, sync: config.sync }, changes);
    const mentionNames = await mentionedNames(o.people?.jira, changes);
    const results = await applyRemoteChanges({ ...deps, mentionNames }, changes, people);
    if (results.some((r) => r.queued > 0 || r.outcome === 'applied')) o.afterChange();
  };
  const check = driftCheck(o);
  const off = { sink, deps, webhooks: {}, sweep: async () => 0, check, start() {}, stop: async () => {} };
  if (!config.sync.enabled) return off;
  // The sandbox's admin webhook is signed with a secret of this process (nobody else needs it).
  const secret =
    config.sync.jira.webhookSecret ?? (jiraSandbox ? new Secret(randomBytes(24).toString('hex')) : undefined);
  jiraSandbox?.webhooks.register({
    name: 'itsm-bridge',
    url: `${o.url}/webhooks/jira`,
    events: ['jira:issue_updated', 'comment_created', 'comment_updated'],
    secret: secret?.reveal() ?? null,
  });
  const bot = jiraSandbox?.state.account.accountId ?? null;
  const sweep = config.tickets.systems.includes('jira') ? sweeper(o, sink, bot) : async () => 0;
  const gate = (job: string, run: () => Promise<void>) =>
    leaderOnly({ leading: o.leading, logger: o.logger, job }, run);
  const job = new PeriodicJob(
    gate('jira sweep', async () => {
      await sweep().catch((err: unknown) =>
        o.logger.warn('jira sweep failed; the next one retries', { error: (err as Error).message }),
      );
    }),
    config.sync.jira.sweepInterval * 1000,
  );
  const daily = new PeriodicJob(
    gate('sync check', async () => {
      const since = new Date(o.clock.now().getTime() - config.sync.jira.sweepLookback * 1000).toISOString();
      await check({ since, repair: false }).catch((err: unknown) =>
        o.logger.warn('sync check failed; the next one retries', { error: (err as Error).message }),
      );
    }),
    config.sync.checkInterval * 1000,
  );
  return {
    sink,
    deps,
    sweep,
    check,
    start: () => {
      if (config.sync.jira.sweepInterval > 0) job.start();
      if (config.sync.checkInterval > 0) daily.start();
    },
    stop: async () => {
      await job.stop();
      await daily.stop();
    },
    webhooks: {
      jira: (req, res) =>
        receiveJiraWebhook(
          {
            secret,
            bodyLimit: config.server.bodyLimit,
            sink,
            toChange: (body, identifier) => readJiraWebhook(body, identifier, { botAccountId: bot }),
            logger: o.logger,
          },
          req,
          res,
        ),
    },
  };
}
