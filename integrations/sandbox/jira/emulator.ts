import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock/system-clock';
import { adfValidator } from './adf';
import { jiraError, jiraRateLimited, type JiraContext } from './context';
import { defaultFaults, FaultInjector, type Faults } from '../faults';
import { type EmuRequest, type EmuResponse } from '../http-util';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';
import { emulatorHandle, listenEmulator } from '../serve-emulator';
import { handleAttachment } from './attachments-api';
import { handleIssueExtra } from './issue-extras-api';
import { createIssue, editIssue, getIssue } from './issues-api';
import { createIssueLink } from './issue-links-api';
import { approximateCount, search } from './search-api';
import { addRequestComment } from './servicedesk-api';
import { getUser, searchUsers } from './users-api';
import { WebhookDispatcher } from './webhooks';
import {
  BRIDGE_ACCOUNT_ID,
  DEFAULT_PRIORITIES,
  DEFAULT_STATUSES,
  DEFAULT_TRANSITIONS,
  DEFAULT_USERS,
  type JiraState,
  type JiraStatus,
  type JiraTransition,
  type JiraUser,
} from './state';

export { retryAfterViolations, type CallLogEntry, type FaultStep, type Faults } from '../faults';
export type { EmuIssue, JiraState, JiraUser } from './state';
export type { EmuDelivery, EmuWebhook, WebhookDispatcher } from './webhooks';

export interface JiraEmulatorOptions {
  /** Mount prefix for `handle`, e.g. `/sandbox/jira`. */
  prefix?: string;
  /** Projects and their issue types. Default: OPS with Task, Incident, Bug. */
  projects?: { key: string; issueTypes: string[] }[];
  statuses?: JiraStatus[];
  /** Workflow transitions (ids differ per instance — adapters must look them up). */
  transitions?: JiraTransition[];
  /** Cloud Basic auth: email → API token. Default: the sandbox's user (see sandbox-identities.ts). */
  apiTokens?: Record<string, string>;
  /**
   * Users for `/user/search` and the assignee field. Default: the bridge (`itsm-bridge@example.com`,
   * also `GET myself`), Anna Schmidt and Jonas Weber.
   */
  users?: JiraUser[];
  /** Data Center personal access tokens (Bearer). Default: the sandbox's PAT. */
  pats?: string[];
  /** Search index lag in ms (Jira Cloud search is eventually consistent). Settable later via `settings`. */
  searchLagMs?: number;
  /** Per-issue write limit; Cloud's is 20 writes per 2 s. `null` disables it. */
  perIssueWrite?: { limit: number; windowMs: number } | null;
  faults?: Partial<Faults>;
  now?: () => number;
}

export interface JiraEmulator {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  readonly state: JiraState;
  readonly faults: Faults;
  /** Runtime knobs that are not faults: search lag and the per-issue write limit. */
  readonly settings: { searchLagMs: number; perIssueWrite: { limit: number; windowMs: number } | null };
  /** Registered admin webhooks, their deliveries and the delivery knobs (drop, repeat, back-off). */
  readonly webhooks: WebhookDispatcher;
}

const SANDBOX = SANDBOX_IDENTITIES.jira;

/**
 * A small Jira emulator: Cloud REST v3 (ADF) and the Data Center v2 variant (wiki markup, `/search`),
 * with Jira's error shapes, rate-limit headers and an eventually consistent search.
 */
export function createJiraEmulator(opts: JiraEmulatorOptions = {}): JiraEmulator {
  // The remote's own clock: the wall clock unless a test moves it.
  const now = opts.now ?? (() => systemClock.now().getTime());
  const prefix = opts.prefix ?? '';
  const faults: Faults = { ...defaultFaults(), ...opts.faults };
  const settings = {
    searchLagMs: opts.searchLagMs ?? 0,
    perIssueWrite: opts.perIssueWrite === undefined ? { limit: 20, windowMs: 2000 } : opts.perIssueWrite,
  };
  const state: JiraState = {
    issues: [],
    issueLinks: [],
    projects: (opts.projects ?? [{ key: 'OPS', issueTypes: ['Task', 'Incident', 'Bug'] }]).map((p, i) => ({
      ...p,
      id: String(10000 + i),
    })),
    statuses: opts.statuses ?? DEFAULT_STATUSES,
    transitions: opts.transitions ?? DEFAULT_TRANSITIONS,
    priorities: DEFAULT_PRIORITIES,
    apiTokens: new Map(
      Object.entries(
        opts.apiTokens ?? {
          [SANDBOX.user.email]: SANDBOX.user.apiToken,
          [SANDBOX.human.email]: SANDBOX.human.apiToken,
        },
      ),
    ),
    pats: new Set(opts.pats ?? [SANDBOX.pat]),
    account: {
      accountId: BRIDGE_ACCOUNT_ID,
      emailAddress: SANDBOX.user.email,
      displayName: SANDBOX.user.displayName,
    },
    users: (opts.users ?? DEFAULT_USERS).map((u) => ({ ...u })),
    writes: new Map(),
    callLog: [],
    attachmentBodies: new Map(),
    nextId: 10001,
    nextKey: new Map(),
  };
  const hooks = new WebhookDispatcher();
  adfValidator();
  const injector = new FaultInjector(faults, now, {
    rateLimited: (seconds) =>
      jiraRateLimited(now(), seconds ?? 1, 'jira-burst-based', faults.requestRate?.limit ?? 100),
    serverError: (status) => jiraError(status, ['Service temporarily unavailable. Please try again later.']),
  });
  state.callLog = injector.callLog;

  function route(req: EmuRequest): EmuResponse {
    const caller = authenticate(req, state);
    if ('status' in caller) return caller;
    if (req.path === '/rest/webhooks/1.0/webhook') return hooks.route(req);
    const request = /^\/rest\/servicedeskapi\/request\/([^/]+)\/comment$/.exec(req.path);
    if (request?.[1] && req.method === 'POST')
      return addRequestComment(
        req,
        { state, now, version: 3, baseUrl: req.baseUrl, ...settings, actor: caller.accountId, hooks },
        request[1],
      );
    const m = /^\/rest\/api\/([23])\/(.*)$/.exec(req.path);
    if (!m) return jiraError(404, ['Not found']);
    const ctx: JiraContext = {
      state,
      now,
      version: m[1] === '2' ? 2 : 3,
      baseUrl: req.baseUrl,
      ...settings,
      actor: caller.accountId,
      hooks,
    };
    const rest = m[2] ?? '';
    const key = `${req.method} ${rest}`;
    if (key === 'GET myself') {
      const me = state.users.find((u) => u.accountId === caller.accountId);
      return {
        status: 200,
        body: me
          ? {
              accountId: me.accountId,
              emailAddress: me.emailAddress,
              displayName: me.displayName,
              active: true,
              accountType: 'atlassian',
            }
          : { ...state.account, active: true, accountType: 'atlassian' },
      };
    }
    if (key === 'GET priority') return { status: 200, body: state.priorities };
    if (key === 'GET user/search') return searchUsers(req, ctx);
    if (key === 'GET user') return getUser(req, ctx);
    if (key === 'POST issue') return createIssue(req, ctx);
    if (key === 'POST issueLink') return createIssueLink(req, ctx);
    if (rest === 'search/jql' && ctx.version === 3 && (req.method === 'GET' || req.method === 'POST'))
      return search(req, ctx, 'token');
    if (key === 'POST search/approximate-count') return approximateCount(req, ctx);
    if (rest === 'search' && (req.method === 'GET' || req.method === 'POST')) {
      // Cloud removed the old search (CHANGE-2046); Data Center still uses it.
      if (ctx.version === 3)
        return jiraError(410, [
          'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
        ]);
      return search(req, ctx, 'startAt');
    }
    if (rest.startsWith('attachment/')) return handleAttachment(req, ctx, rest.slice('attachment/'.length));
    const issue = /^issue\/([^/]+)(?:\/(.+))?$/.exec(rest);
    if (issue?.[1]) {
      if (issue[2]) return handleIssueExtra(req, ctx, issue[1], issue[2]);
      if (req.method === 'GET') return getIssue(req, ctx, issue[1]);
      if (req.method === 'PUT') return editIssue(req, ctx, issue[1]);
    }
    return jiraError(404, [`No resource ${req.method} ${req.path}`]);
  }

  const handle = emulatorHandle(prefix, injector, route);

  return {
    handle,
    state,
    faults,
    settings,
    webhooks: hooks,
    listen: (port = 0) => listenEmulator(handle, port, prefix, LISTEN_ERRORS),
  };
}

/**
 * Cloud: Basic `email:api_token`; Data Center: `Bearer <PAT>` (the bridge's account). Returns the
 * caller's accountId — the human sandbox account's edits are a person's edits — or Jira's plain 401.
 */
function authenticate(req: EmuRequest, state: JiraState): { accountId: string } | EmuResponse {
  const [scheme, credential = ''] = (req.headers.authorization ?? '').split(' ');
  if (scheme === 'Basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    const email = decoded.slice(0, sep);
    if (sep > 0 && state.apiTokens.get(email) === decoded.slice(sep + 1)) {
      const user = state.users.find((u) => u.emailAddress.toLowerCase() === email.toLowerCase());
      return { accountId: user?.accountId ?? state.account.accountId };
    }
  }
  if (scheme === 'Bearer' && state.pats.has(credential)) return { accountId: state.account.accountId };
  return jiraError(401, ['Client must be authenticated to access this resource.']);
}

const LISTEN_ERRORS = {
  notFound: jiraError(404, ['Not found']),
  failed: (err: unknown) => jiraError(500, [String(err)]),
};
