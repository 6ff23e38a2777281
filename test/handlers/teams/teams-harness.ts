import type { ConversationReference } from '@microsoft/agents-activity';
import type { AuthProvider, CloudAdapter, Connections, OutboundUrlPolicy } from '@microsoft/agents-hosting';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ChatAction,
  ChatActor,
  ChatCommands,
  ChatHandoffDecision,
  CommandResult,
} from '../../../src/ports/chat';
import type { HandoffNote } from '../../../src/core/handoff/handoff';
import type { Logger } from '../../../src/ports/logger';
import { createTeamsHandler } from '../../../handlers/teams/teams-handler';
import { sandboxServiceUrls } from '../../../integrations/teams/teams-adapter';
import { memoryConversationReferences } from '../../../integrations/teams/conversation-references';
import { createTeamsEmulator, type TeamsEmulator } from '../../../integrations/sandbox/teams/emulator';
import { commandResultCard } from '../../../integrations/teams/presenters/command-result-card';

/**
 * The command layer as the handler sees it: records what reached it and answers what the test scripted.
 * This is the port boundary, not src/commands.
 */
export class RecordingCommands implements ChatCommands {
  readonly runs: { actor: ChatActor; text: string }[] = [];
  readonly acts: { actor: ChatActor; action: ChatAction }[] = [];
  answer: CommandResult | Error = { kind: 'text', ok: true, text: 'done' };

  async run(actor: ChatActor, text: string): Promise<CommandResult> {
    this.runs.push({ actor, text });
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  async act(actor: ChatActor, action: ChatAction): Promise<CommandResult> {
    this.acts.push({ actor, action });
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  readonly offers: { actor: ChatActor; incidentId: number; to: string; note: HandoffNote }[] = [];
  readonly decisions: { actor: ChatActor; handoffId: number; decision: ChatHandoffDecision }[] = [];

  async offerHandoff(
    actor: ChatActor,
    o: { incidentId: number; to: string; note: HandoffNote },
  ): Promise<CommandResult> {
    this.offers.push({ actor, ...o });
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  async decideHandoff(
    actor: ChatActor,
    handoffId: number,
    decision: ChatHandoffDecision,
  ): Promise<CommandResult> {
    this.decisions.push({ actor, handoffId, decision });
    if (this.answer instanceof Error) throw this.answer;
    return this.answer;
  }

  async mayDecideHandoff(): Promise<CommandResult | null> {
    return null;
  }
}

export interface LogLine {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    lines.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The Teams mount on a real node:http server, with the connector emulator as Teams' `serviceUrl`. */
export async function startTeams(
  adapter: (logger: Logger, serviceUrls: OutboundUrlPolicy) => CloudAdapter,
  opts: { tokens?: string[]; serviceUrls?: (connectorUrl: string) => OutboundUrlPolicy } = {},
) {
  const emulator: TeamsEmulator = createTeamsEmulator({ prefix: '/sandbox/teams', tokens: opts.tokens });
  const connector = await emulator.listen();
  // Default: the sandbox's rule, only the connector emulator (what the composition uses without an app id).
  const serviceUrls =
    opts.serviceUrls?.(connector.url) ?? sandboxServiceUrls([connector.url], '/sandbox/teams');
  const commands = new RecordingCommands();
  const references = memoryConversationReferences();
  const saved: ConversationReference[] = [];
  const logs: LogLine[] = [];
  const logger = recordingLogger(logs);
  const mount = createTeamsHandler({
    adapter: adapter(logger, serviceUrls),
    serviceUrlAllowed: (url) => serviceUrls.isAllowed(url),
    commands,
    references: {
      save: async (ref) => {
        saved.push(ref);
        await references.save(ref);
      },
    },
    render: commandResultCard,
    logger,
    maxBodyBytes: 64 * 1024,
  });
  const server = createServer((req, res) => {
    mount(req, res, new URL(req.url ?? '/', 'http://localhost'))
      .then((handled) => {
        if (!handled) res.writeHead(404).end();
      })
      .catch((err: unknown) => {
        logs.push({ level: 'error', msg: 'unhandled', fields: { error: String(err) } });
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    emulator,
    commands,
    references,
    saved,
    logs,
    serviceUrl: `${connector.url}/`,
    url: `${base}/teams/messages`,
    base,
    post: (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/teams/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connector.close();
    },
  };
}

export const CHANNEL = '19:ops-channel@thread.tacv2';

/** A channel message as Teams sends it (api-facts §8.1/§8.3): HTML text with the @mention markup. */
export function messageActivity(
  serviceUrl: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message',
    id: '1709540130000',
    timestamp: '2025-03-04T08:15:30.000Z',
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:1ada', name: 'Ada Lovelace', aadObjectId: '6c1f1a6e-0000-4000-8000-00000000ada0' },
    conversation: {
      id: `${CHANNEL};messageid=1709540100000`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: '72f988bf-0000-4000-8000-000000000001',
    },
    recipient: { id: '28:itsm-bridge-app', name: 'ITSM Bridge' },
    textFormat: 'plain',
    text: '<at>ITSM Bridge</at> ack INC0010001&nbsp;',
    entities: [
      {
        type: 'mention',
        text: '<at>ITSM Bridge</at>',
        mentioned: { id: '28:itsm-bridge-app', name: 'ITSM Bridge' },
      },
    ],
    channelData: {
      teamsChannelId: CHANNEL,
      teamsTeamId: '19:team@thread.tacv2',
      channel: { id: CHANNEL },
      team: { id: '19:team@thread.tacv2' },
      tenant: { id: '72f988bf-0000-4000-8000-000000000001' },
    },
    ...over,
  };
}

/** Action.Execute as Teams delivers it: an `adaptiveCard/action` invoke with the verb and merged data. */
export function executeActivity(serviceUrl: string, data: Record<string, unknown>): Record<string, unknown> {
  return messageActivity(serviceUrl, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: undefined,
    value: { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' },
  });
}

/**
 * Outbound app tokens come from MSAL (a call to Entra); tests stand in at the SDK's own seam, the
 * adapter's connection manager, so every connection hands out `provider`.
 */
export function useTokenProvider(adapter: CloudAdapter, provider: AuthProvider): void {
  adapter.connectionManager = {
    getTokenProvider: () => provider,
    getTokenProviderFromActivity: () => provider,
    getConnection: () => provider,
    getDefaultConnection: () => provider,
    getDefaultConnectionConfiguration: () => ({}),
  } satisfies Connections as never;
}
