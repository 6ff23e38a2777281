import Bottleneck from 'bottleneck';
import type { AppConfig } from '../config/app-config';
import type { Env } from '../config/env';
import { createRedactor } from '../core/redact/redact';
import type { Runbook } from '../core/runbook/runbook';
import type { SlaReport } from '../core/sla/report-model';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { ChatLane, Store } from '../ports/store';
import type { LaneSpec } from '../app/outbox-worker';
import { chatLaneRunner } from '../app/run-chat-command';
import type { TicketingSettings } from '../app/enqueue-ticket-commands';
import { ChatCommandService } from '../commands/chat-commands';
import type { Mount } from '../../handlers/http/server';
import { createSlackApp } from '../../handlers/slack/slack-app';
import { SlackApi } from '../../integrations/slack/slack-api';
import { SlackNotifier } from '../../integrations/slack/slack-notifier';
import { commandResultMessage, homeView, resolveModal } from '../../integrations/slack/presenters';
import { SLACK_SANDBOX_PREFIX, SLACK_SANDBOX_TOKEN } from '../../integrations/slack/emulator';
import { TimedRequestGate } from '../../integrations/http/request-gate';

/** The signing secret the Slack sandbox uses (documented: sign your own test requests with it). */
export const SLACK_SANDBOX_SIGNING_SECRET = 'sandbox-signing-secret';

/**
 * At most `perSecond` messages per second per channel with a burst of `burst` (Slack: about one per
 * second per channel, short bursts tolerated): one token bucket per channel.
 */
export function channelThrottle(perSecond: number, burst: number) {
  const group = new Bottleneck.Group({
    reservoir: burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: Math.round(1000 / perSecond),
    reservoirIncreaseMaximum: burst,
    maxConcurrent: 1,
  });
  return <T>(channel: string, send: () => Promise<T>): Promise<T> => group.key(channel).schedule(send);
}

export interface ChatWiring {
  lanes: Partial<Record<ChatLane, LaneSpec>>;
  commands: ChatCommandService;
  /** Handlers for /slack/events (and /teams/messages), ready once `start` has run. */
  mounts: Mount[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the chat side: the platform-neutral command service, the Slack app (Bolt) and notifier, and
 * their outbox lanes. Without SLACK_BOT_TOKEN the Slack sandbox emulator on this server stands in.
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
  afterChange(): void;
  report?(month: string): Promise<{ report: SlaReport; html: string; csv: string }>;
}): Promise<ChatWiring> {
  const { config, env, logger } = o;
  const publicUrl = config.server.publicUrl ?? o.url;
  const viewDeps = {
    store: o.store,
    runbooks: new Map(o.runbooks.map((r) => [r.id, r])),
    redactor: createRedactor(config.redaction),
    publicUrl,
    providerNames: new Map(config.providers.map((p) => [p.name, p.displayName ?? p.name])),
  };
  const sandbox = !env.SLACK_BOT_TOKEN;
  const api = new SlackApi({
    token: env.SLACK_BOT_TOKEN?.reveal() ?? SLACK_SANDBOX_TOKEN,
    apiUrl: sandbox ? `${o.url}${SLACK_SANDBOX_PREFIX}/` : (config.slack.apiUrl ?? 'https://slack.com/api/'),
    logger,
  });
  const commands = new ChatCommandService({
    ...viewDeps,
    clock: o.clock,
    ticketing: o.ticketing,
    providers: config.providers,
    groupMembers: (id) => api.usergroupMembers(id).catch(() => []),
    afterChange: o.afterChange,
    ...(o.report ? { report: o.report } : {}),
  });
  const throttle = channelThrottle(config.slack.perChannel.perSecond, config.slack.perChannel.burst);
  const channels = new Map(config.providers.map((p) => [p.name, p.chat?.slackChannel ?? null]));
  const lanes: Partial<Record<ChatLane, LaneSpec>> = {
    slack: {
      run: chatLaneRunner({
        ...viewDeps,
        notifier: new SlackNotifier(api),
        channelFor: (provider) => channels.get(provider) ?? null,
        throttle,
      }),
      concurrency: 4,
      gate: new TimedRequestGate(),
    },
  };
  const slack = await createSlackApp(
    {
      commands,
      store: o.store,
      logger,
      now: () => o.clock.now(),
      user: (id) => api.userProfile(id),
      present: { result: commandResultMessage, resolveModal, home: homeView },
      uploadFiles: async (channel, files, comment) => {
        await api.uploadFiles(channel, files, comment);
      },
    },
    {
      botToken: env.SLACK_BOT_TOKEN?.reveal() ?? SLACK_SANDBOX_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET?.reveal() ?? SLACK_SANDBOX_SIGNING_SECRET,
      apiUrl: sandbox
        ? `${o.url}${SLACK_SANDBOX_PREFIX}/`
        : (config.slack.apiUrl ?? 'https://slack.com/api/'),
      ...(config.slack.socketMode && env.SLACK_APP_TOKEN
        ? { socketMode: { appToken: env.SLACK_APP_TOKEN.reveal() } }
        : {}),
    },
  );
  return {
    lanes,
    commands,
    mounts: [slack.mount],
    start: () => slack.start(),
    stop: () => slack.stop(),
  };
}
