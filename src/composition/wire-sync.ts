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
import type { TicketingSettings } from '../app/enqueue-ticket-commands';
import { receiveJiraWebhook } from '../../handlers/webhooks/jira-webhook';
import type { JiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { withProviderDefaults } from './wire-ticketing';
import { readJiraWebhook } from '../../integrations/jira/jira-remote-changes';

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
  jiraSandbox?: JiraEmulator;
}): { sink: RemoteChangeSink; deps: SyncDeps; webhooks: SyncWebhooks } {
  const { config } = o;
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
    const results = await applyRemoteChanges(deps, changes);
    if (results.some((r) => r.queued > 0 || r.outcome === 'applied')) o.afterChange();
  };
  if (!config.sync.enabled) return { sink, deps, webhooks: {} };
  // The sandbox's admin webhook is signed with a secret of this process (nobody else needs it).
  const secret =
    config.sync.jira.webhookSecret ??
    (o.jiraSandbox ? new Secret(randomBytes(24).toString('hex')) : undefined);
  o.jiraSandbox?.webhooks.register({
    name: 'itsm-bridge',
    url: `${o.url}/webhooks/jira`,
    events: ['jira:issue_updated', 'comment_created', 'comment_updated'],
    secret: secret?.reveal() ?? null,
  });
  const bot = o.jiraSandbox?.state.account.accountId ?? null;
  return {
    sink,
    deps,
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
