import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock/system-clock';
import { defaultFaults, FaultInjector, type Faults } from '../faults';
import { type EmuRequest, type EmuResponse } from '../http-util';
import { emulatorHandle, listenEmulator } from '../serve-emulator';
import { connectorApi, threadOf } from './connector-api';
import { connectorError, type EmuActivity, type TeamsState } from './state';
import { workflowsApi } from './workflows-api';

export { retryAfterViolations, type CallLogEntry, type FaultStep, type Faults } from '../faults';
export type { EmuActivity, EmuWorkflowPost, TeamsState } from './state';

export interface TeamsEmulatorOptions {
  /** Mount prefix for `handle`, e.g. `/sandbox/teams`; the bot's `serviceUrl` is then `<origin>/sandbox/teams/`. */
  prefix?: string;
  /**
   * Bearer tokens the connector accepts. Default: none required — the SDK calls anonymously when the bot
   * has no app id (the sandbox). Workflows URLs are authenticated by their signature, not a header.
   */
  tokens?: string[];
  faults?: Partial<Faults>;
  now?: () => number;
}

export interface TeamsEmulator {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  readonly state: TeamsState;
  readonly faults: Faults;
  /**
   * Activities, oldest first: of a channel (top-level posts and their threads) or, for
   * `<channel>;messageid=<root>`, of that one thread (its root and the replies in it).
   */
  activities(conversationId: string): EmuActivity[];
}

/**
 * Microsoft Teams for tests and the sandbox: the Bot Connector REST API the Agents SDK calls at
 * `serviceUrl` (`/v3/conversations/…`), and Workflows webhook receivers (`/workflows/{id}`). Faults (429
 * with Retry-After, 5xx, timeouts) come from integrations/sandbox/faults.ts.
 */
export function createTeamsEmulator(opts: TeamsEmulatorOptions = {}): TeamsEmulator {
  // The remote's own clock: the wall clock unless a test moves it.
  const now = opts.now ?? (() => systemClock.now().getTime());
  const prefix = opts.prefix ?? '';
  const faults: Faults = { ...defaultFaults(), ...opts.faults };
  // Teams message ids are epoch-millisecond strings; keep the shape.
  const state: TeamsState = {
    conversations: new Map(),
    workflows: [],
    callLog: [],
    nextId: 1_700_000_000_000,
  };
  const injector = new FaultInjector(faults, now, {
    rateLimited: (seconds) => ({
      ...connectorError(429, 'TooManyRequests', 'The request was throttled. Retry after the given delay.'),
      headers: seconds === null ? ({} as Record<string, string>) : { 'Retry-After': String(seconds) },
    }),
    serverError: (status) =>
      connectorError(status, 'ServiceError', 'The service is temporarily unavailable.'),
  });
  state.callLog = injector.callLog;

  function route(req: EmuRequest): EmuResponse {
    const workflow = workflowsApi(req, state, now);
    if (workflow) return workflow;
    if (opts.tokens) {
      const [scheme, token] = (req.headers.authorization ?? '').split(' ');
      if (scheme !== 'Bearer' || !token || !opts.tokens.includes(token))
        return connectorError(401, 'Unauthorized', 'Authorization has been denied for this request.');
    }
    return (
      connectorApi(req, state, now) ??
      connectorError(404, 'NotFound', `no resource ${req.method} ${req.path}`)
    );
  }

  const handle = emulatorHandle(prefix, injector, route);

  return {
    handle,
    state,
    faults,
    activities: (conversationId) => {
      const { channel, root } = threadOf(conversationId);
      const all = state.conversations.get(channel) ?? [];
      return root === null ? all : all.filter((a) => a.id === root || a.replyToId === root);
    },
    listen: (port = 0) => listenEmulator(handle, port, prefix, LISTEN_ERRORS),
  };
}

const LISTEN_ERRORS = {
  notFound: connectorError(404, 'NotFound', 'Not found'),
  failed: (err: unknown) => connectorError(500, 'ServiceError', String(err)),
};
