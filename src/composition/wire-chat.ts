import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import type { Env } from '../config/env';
import { createRedactor } from '../core/redact/redact';
import type { Runbook } from '../core/runbook/runbook';
import type { SlaReport } from '../core/sla/report-model';
import type { Clock } from '../ports/clock';
import type { OnCallPerson, OnCallSchedule } from '../core/oncall/schedule';
import type { Logger } from '../ports/logger';
import type { Metrics } from '../ports/metrics';
import type { SharedLimits } from '../ports/shared-limits';
import type { ChatLane, Store } from '../ports/store';
import type { LaneSpec } from '../app/outbox-worker';
import { chatLaneRunner } from '../app/run-chat-command';
import type { TicketingSettings } from '../app/enqueue-ticket-commands';
import { ChatCommandService, reportHeadline, type ChatCommandsDeps } from '../commands/chat-commands';
import { MonthlyReportJob } from '../../handlers/jobs/monthly-report';
import type { Mount } from '../../handlers/http/server';
import { createSlackApp } from '../../handlers/slack/slack-app';
import { SlackApi, slackLogger } from '../../integrations/slack/slack-api';
import { SlackNotifier } from '../../integrations/slack/slack-notifier';
import { postReportToSlack } from '../../integrations/slack/post-report';
import {
  commandResultMessage,
  handoffModal,
  handoffRejectModal,
  homeView,
  resolveModal,
} from '../../integrations/slack/presenters';
import type { Sandbox } from '../../integrations/sandbox/create-sandbox';
import type { ChatLaneDriver } from '../../integrations/lanes/chat-lane-driver';
import { createSlackLaneDriver } from '../../integrations/slack/slack-lane-driver';
import { createTeamsLaneDriver } from '../../integrations/teams/teams-lane-driver';
import {
  createTeamsAdapter,
  microsoftServiceUrls,
  sandboxServiceUrls,
} from '../../integrations/teams/teams-adapter';
import { storedConversationReferences } from '../../integrations/teams/conversation-references';
import { createBotNotifier } from '../../integrations/teams/bot-notifier';
import { createWorkflowNotifier } from '../../integrations/teams/workflow-notifier';
import { commandResultCard } from '../../integrations/teams/presenters/command-result-card';
import { createTeamsHandler } from '../../handlers/teams/teams-handler';
import type { ChatNotifier } from '../ports/chat';
import { urlUnder } from '../../integrations/http/url-under';
import { systemClock } from '../../integrations/clock/system-clock';

/** What turns an incident into its chat view (the chat lanes, the commands and the shift summaries). */
export function chatViewDeps(o: { config: AppConfig; store: Store; runbooks: Runbook[]; url: string }) {
  return {
    store: o.store,
    runbooks: new Map(o.runbooks.map((r) => [r.id, r])),
    redactor: createRedactor(o.config.redaction),
    publicUrl: o.config.server.publicUrl ?? o.url,
    providerNames: new Map(o.config.providers.map((p) => [p.name, p.displayName ?? p.name])),
  };
}

export interface ChatWiring {
  lanes: Partial<Record<ChatLane, LaneSpec>>;
  commands: ChatCommandService;
  /** Handlers for /slack/events (and /teams/messages), ready once `start` has run. */
  mounts: Mount[];
  /** The monthly SLA report schedule, when `slack.monthlyReport` is configured. */
  monthly: MonthlyReportJob | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the chat side: the platform-neutral command service, the Slack app (Bolt), the Teams bot
 * (Agents SDK) and their notifiers as outbox lanes. Without SLACK_BOT_TOKEN / TEAMS_APP_ID the sandbox
 * emulators on this server stand in.
 */
export async function wireChat(o: {
  config: AppConfig;
  env: Env;
  store: Store;
  clock: Clock;
  logger: Logger;
  url: string;
  runbooks: Runbook[];
  ticketing: TicketingSettings;
  /** On-call rotations by provider name, for `/itsm oncall`. */
  oncallSchedules: Readonly<Record<string, OnCallSchedule>>;
  afterChange(): void;
  report?(month: string): Promise<{ report: SlaReport; html: string; csv: string }>;
  /** The running sandbox: Slack's and Teams' emulators when they have no token or app id. */
  sandbox?: Sandbox | null;
  /** Counts each chat API call and Retry-After wait. */
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>;
  /** `/itsm shift` and the handover's Acknowledge button. */
  shifts?: ChatCommandsDeps['shifts'];
  /** Who is on call for a provider at an instant: mentioned on a hand-off offer. */
  onCallNow?: (provider: string, at: Date) => OnCallPerson | null;
  /** True while this instance leads (the monthly report is posted by the leader only). */
  leader?: () => Promise<boolean>;
  /** Where each platform's Retry-After pauses and channel rates are held with the other instances. */
  limits?: SharedLimits;
}): Promise<ChatWiring> {
  const { config, env, logger } = o;
  const publicUrl = config.server.publicUrl ?? o.url;
  const viewDeps = chatViewDeps(o);
  const sandbox = o.sandbox?.slack;
  // The shared sandbox (SANDBOX_URL) is the only place sandbox callbacks may point; else this server.
  const sandboxOrigin = o.sandbox?.origin;
  const sandboxOrigins = sandboxOrigin ? [sandboxOrigin] : [o.url, publicUrl];
  const slackApiUrl = sandbox
    ? `${sandboxOrigin ?? o.url}${sandbox.path}/`
    : (config.slack.apiUrl ?? 'https://slack.com/api/');
  // Without SLACK_BOT_TOKEN Slack is either the sandbox or off (then nothing calls the API).
  const botToken = env.SLACK_BOT_TOKEN?.reveal() ?? sandbox?.botToken ?? '';
  const api = new SlackApi({
    token: botToken,
    apiUrl: slackApiUrl,
    logger,
    clock: o.clock,
  });
  const commands = new ChatCommandService({
    ...viewDeps,
    clock: o.clock,
    ticketing: o.ticketing,
    providers: config.providers,
    oncallSchedules: o.oncallSchedules,
    pingPongAfter: config.handoff.pingPongAfter,
    groupMembers: (id) =>
      config.slack.enabled ? api.usergroupMembers(id).catch(() => []) : Promise.resolve([]),
    afterChange: o.afterChange,
    ...(o.report ? { report: o.report } : {}),
    ...(o.shifts ? { shifts: o.shifts } : {}),
  });
  const lanes: Partial<Record<ChatLane, LaneSpec>> = {};
  const mounts: Mount[] = [];
  let monthly: MonthlyReportJob | null = null;
  const starts: (() => Promise<void>)[] = [];
  const stops: (() => Promise<void>)[] = [];
  const driverSettings = {
    clock: o.clock,
    perChannel: config.slack.perChannel,
    metrics: o.metrics,
    ...(o.limits ? { limits: o.limits } : {}),
  };
  const lane = (
    notifier: ChatNotifier,
    channelOf: (p: (typeof config.providers)[number]) => string | undefined,
    driver: ChatLaneDriver,
  ): LaneSpec => {
    const channels = new Map(config.providers.map((p) => [p.name, channelOf(p) ?? null]));
    return {
      run: chatLaneRunner({
        ...viewDeps,
        ...(o.onCallNow ? { onCallNow: o.onCallNow } : {}),
        notifier,
        channelFor: (provider) => channels.get(provider) ?? null,
        throttle: (channel, send) => driver.send(channel, send),
      }),
      driver,
    };
  };

  if (config.slack.enabled) {
    lanes.slack = lane(
      new SlackNotifier(api),
      (p) => p.chat?.slackChannel,
      createSlackLaneDriver(driverSettings),
    );
    const slack = await createSlackApp(
      {
        commands,
        store: o.store,
        logger,
        now: () => o.clock.now(),
        user: (id) => api.userProfile(id),
        present: {
          result: commandResultMessage,
          resolveModal,
          handoffModal,
          handoffRejectModal,
          home: homeView,
        },
        uploadFiles: async (channel, files, comment) => {
          await api.uploadFiles(channel, files, comment);
        },
      },
      {
        botToken,
        signingSecret: env.SLACK_SIGNING_SECRET?.reveal() ?? sandboxSigningSecret(config, o.sandbox),
        apiUrl: slackApiUrl,
        logger: slackLogger(logger, 'bolt'),
        signatureClock: systemClock,
        ...(sandbox
          ? {
              responseUrlAllowed: urlUnder(sandboxOrigins.map((u) => `${new URL(u).origin}${sandbox.path}/`)),
            }
          : {}),
        ...(config.slack.socketMode && env.SLACK_APP_TOKEN
          ? { socketMode: { appToken: env.SLACK_APP_TOKEN.reveal() } }
          : {}),
      },
    );
    mounts.push(slack.mount);
    starts.push(() => slack.start());
    stops.push(() => slack.stop());
    const schedule = config.slack.monthlyReport;
    const report = o.report;
    if (schedule && report) {
      const job = new MonthlyReportJob({
        now: () => o.clock.now(),
        logger,
        timeZone: config.sla.reportTimeZone,
        at: schedule.at,
        destination: `slack:${schedule.channel}`,
        requests: o.store.requests,
        leader: o.leader,
        post: async (month) => {
          const built = await report(month);
          const headline = reportHeadline(built.report, publicUrl);
          await postReportToSlack(api, schedule.channel, {
            month,
            headline,
            html: built.html,
            csv: built.csv,
          });
        },
      });
      starts.push(async () => job.start());
      stops.push(() => job.stop());
      monthly = job;
    }
  }

  if (teamsEnabled(config, env)) {
    // Real Teams: Microsoft's connector hosts only. Anonymous: only the emulator on this server (none
    // without it), so a forged activity can neither send answers nor later incident cards elsewhere.
    const teamsPath = o.sandbox?.teams?.path;
    const serviceUrls = env.TEAMS_APP_ID
      ? microsoftServiceUrls()
      : sandboxServiceUrls(teamsPath ? sandboxOrigins : [], teamsPath ?? '');
    const adapter = createTeamsAdapter({
      auth: {
        clientId: env.TEAMS_APP_ID ?? null,
        clientSecret: env.TEAMS_APP_PASSWORD ?? null,
        tenantId: env.TEAMS_TENANT_ID ?? null,
      },
      logger,
      serviceUrls,
    });
    const references = storedConversationReferences(o.store.conversations, o.clock);
    // Anonymous activities (no TEAMS_APP_ID) could act as any Teams user: accepted only while every ticket
    // system is a sandbox too. Notify-only mode needs no inbound endpoint.
    if (env.TEAMS_APP_ID || allSandbox(config))
      mounts.push(
        createTeamsHandler({
          adapter,
          commands,
          references,
          render: commandResultCard,
          logger,
          serviceUrlAllowed: (url) => serviceUrls.isAllowed(url),
        }),
      );
    const notifier = env.TEAMS_WORKFLOW_URL
      ? createWorkflowNotifier({ url: env.TEAMS_WORKFLOW_URL, logger, clock: o.clock })
      : createBotNotifier({ adapter, references, clock: o.clock });
    if (chatLanes(config, env).includes('teams'))
      lanes.teams = lane(
        notifier,
        (p) => p.chat?.teamsChannel ?? (env.TEAMS_WORKFLOW_URL ? 'workflow' : undefined),
        createTeamsLaneDriver(driverSettings),
      );
    const teamsSandbox = o.sandbox?.teams;
    if (teamsSandbox)
      starts.push(() =>
        teamsSandbox.seedChannels({
          providers: config.providers,
          origin: sandboxOrigin ?? o.url,
          known: async (id) => !!(await o.store.conversations.get(id)),
          references,
        }),
      );
  }

  return {
    lanes,
    commands,
    mounts,
    monthly,
    async start() {
      for (const s of starts) await s();
    },
    async stop() {
      for (const s of stops) await s();
    },
  };
}

/** Teams runs when enabled: with an app id or a Workflows URL, or anonymously in the full sandbox. */
export function teamsEnabled(config: AppConfig, env: Env): boolean {
  if (!config.teams.enabled) return false;
  if (env.TEAMS_APP_ID || env.TEAMS_WORKFLOW_URL) return true;
  // The Agents SDK refuses an anonymous bot in production; we also refuse it next to real tickets.
  return env.NODE_ENV !== 'production' && allSandbox(config);
}

/**
 * The chat platforms that get an outbox lane: Slack when enabled; Teams when it runs and has somewhere
 * to post (a Workflows URL or a provider's Teams channel). Known before start, for the correlation loop.
 */
export function chatLanes(config: AppConfig, env: Env): ChatLane[] {
  const teamsTarget = !!env.TEAMS_WORKFLOW_URL || config.providers.some((p) => p.chat?.teamsChannel);
  return [
    ...(config.slack.enabled ? (['slack'] as const) : []),
    ...(teamsEnabled(config, env) && teamsTarget ? (['teams'] as const) : []),
  ];
}

/** No real ticket system configured: everything a chat action can change lives in the sandboxes. */
export function allSandbox(config: AppConfig): boolean {
  return !config.servicenow.instanceUrl && !config.jira.baseUrl;
}

/**
 * The published credentials the chat side accepts, for the start-up exposure check: the documented Slack
 * signing secret and anonymous Teams activities (both only while every ticket system is a sandbox).
 */
export function publishedCredentials(config: AppConfig, env: Env, sandbox: Sandbox | null): string[] {
  const slack = config.slack.enabled && !env.SLACK_SIGNING_SECRET && allSandbox(config) && !!sandbox;
  const teams = teamsEnabled(config, env) && !env.TEAMS_APP_ID;
  return [
    ...(slack ? ['the published Slack signing secret (/slack/events)'] : []),
    ...(teams ? ['anonymous Teams activities (/teams/messages)'] : []),
  ];
}

/**
 * Without SLACK_SIGNING_SECRET: the documented sandbox secret while every ticket system is a sandbox
 * (so anyone can try `/itsm` with curl), otherwise a random one — a known secret next to real tickets
 * would let anyone act as any Slack user.
 */
function sandboxSigningSecret(config: AppConfig, sandbox: Sandbox | null | undefined): string {
  return allSandbox(config) && sandbox ? sandbox.slackSigningSecret : randomBytes(32).toString('hex');
}
