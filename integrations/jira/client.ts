import { IntegrationError } from '../../src/errors';
import { parseRetryAfter } from '../http/retry-after';
import type { GatedTransport } from '../lanes/remote-lane-driver';

/**
 * jira.js 5 ships a CommonJS build for require(), but its type declarations are ESM-only, so under
 * module node16 we type it through an import() with resolution-mode and load it with require().
 */
type JiraJs = typeof import('jira.js', { with: { 'resolution-mode': 'import' } });
const { HttpException, Version2Client, Version3Client } = require('jira.js') as JiraJs;
type Version2Client = InstanceType<JiraJs['Version2Client']>;
export type Version3Client = InstanceType<JiraJs['Version3Client']>;

/** Credentials after the config's Secrets were revealed — only held inside the client. */
export type JiraCredentials =
  { type: 'basic'; email: string; apiToken: string } | { type: 'pat'; token: string };

export interface JiraClientOptions {
  /** Site URL or the emulator's URL (a path prefix such as /sandbox/jira is kept). */
  host: string;
  flavour: 'cloud' | 'datacenter';
  credentials: JiraCredentials;
  timeoutMs: number;
  /**
   * The Jira lane driver. Its gate is checked right before each request goes on the wire (an axios
   * interceptor): a request that waited inside jira.js while another request's 429 arrived does not go
   * out before Retry-After; every answer with a throttle closes it.
   */
  transport: GatedTransport;
}

/** The axios instance inside jira.js (a private field in its typings, stable across 4.x and 5.x). */
interface AxiosLike {
  interceptors: {
    request: { use(fn: (cfg: unknown) => Promise<unknown>): unknown };
    response: { use(ok: (res: unknown) => unknown, fail: (err: unknown) => unknown): unknown };
  };
}

/** A found issue with the properties we asked for. */
export interface JiraSearchHit {
  id: string;
  key: string;
  properties: Record<string, unknown>;
}

export interface JiraTransitionInfo {
  id: string;
  name: string;
  category: string | undefined;
  /** Name of the status the transition leads to. */
  to: string | undefined;
}

/** A user from user search: `id` is the Cloud accountId, or the Data Center username (`name`). */
export interface JiraUser {
  id: string;
  displayName: string;
  /** Hidden on Cloud by the user's profile visibility settings → null. */
  email: string | null;
  active: boolean;
  /** Cloud: atlassian | app | customer; Data Center: undefined. */
  accountType: string | undefined;
}

/**
 * The Jira operations we use, the same for Cloud (Version3Client, ADF) and Data Center (Version2Client,
 * wiki markup). Rich-text values are passed through as given (ADF object or wiki string).
 */
export interface JiraApi {
  readonly flavour: 'cloud' | 'datacenter';
  createIssue(
    fields: Record<string, unknown>,
    properties: { key: string; value: unknown }[],
  ): Promise<{ id: string; key: string }>;
  getStatusCategory(issue: string): Promise<string | undefined>;
  /** The status's name and category key. */
  getStatus(issue: string): Promise<{ name: string | undefined; category: string | undefined }>;
  /** Status category key and the assignee's id (accountId / DC username), null when unassigned. */
  getWorkState(issue: string): Promise<{ category: string | undefined; assignee: string | null }>;
  /** `GET /user/search` (Cloud `query`, Data Center `username`): matches display name and e-mail prefixes. */
  findUsers(query: string): Promise<JiraUser[]>;
  /** `PUT /issue/{key}` with `fields.assignee` = `{accountId}` (Cloud) or `{name}` (Data Center); null unassigns. */
  setAssignee(issue: string, user: string | null): Promise<void>;
  addComment(issue: string, body: unknown): Promise<void>;
  /**
   * `POST /rest/servicedeskapi/request/{key}/comment` with `public`: Jira Service Management's own call,
   * the one the platform API's `jsdPublic` documentation names for internal comments. The body is plain
   * text (JSM renders it as wiki markup on both Cloud and Data Center).
   */
  addServiceDeskComment(issue: string, body: string, isPublic: boolean): Promise<void>;
  /** `GET /user?accountId=` (Cloud) or `?username=` (Data Center). */
  getUser(id: string): Promise<JiraUser>;
  /** The bodies of the issue's newest comments (at most `max`), newest first. */
  recentComments(issue: string, max: number): Promise<unknown[]>;
  /** `PUT /issue/{key}` with `fields.priority` = `{name}`. */
  setPriority(issue: string, name: string): Promise<void>;
  /** `PUT /issue/{key}` with `update.labels` add/remove operations (other labels stay as they are). */
  editLabels(issue: string, change: { add: string[]; remove: string[] }): Promise<void>;
  getTransitions(issue: string): Promise<JiraTransitionInfo[]>;
  doTransition(issue: string, id: string): Promise<void>;
  upsertRemoteLink(
    issue: string,
    link: { globalId: string; url: string; title: string; application: { type: string; name: string } },
  ): Promise<void>;
  search(
    jql: string,
    opts: { properties: string[]; reconcileIssues: number[]; maxResults: number },
  ): Promise<JiraSearchHit[]>;
  /** `POST /issueLink`: "<outward> <type's outward reading> <inward>". */
  linkIssues(type: string, inward: string, outward: string): Promise<void>;
  /** `fields.issuelinks` of an issue: the type name and the other issue's key. */
  issueLinks(issue: string): Promise<{ type: string; key: string }[]>;
}

type AnyClient = Version3Client | Version2Client;

/**
 * The jira.js client itself — auth, timeout and gate as for JiraApi — for operations JiraApi does not
 * wrap (the SLA report's search and changelog). Data Center PATs go in a Bearer header (jira.js 5 has no
 * PAT option).
 */
export function createJiraJsClient(o: JiraClientOptions & { flavour: 'cloud' }): Version3Client;
export function createJiraJsClient(o: JiraClientOptions): AnyClient;
export function createJiraJsClient(o: JiraClientOptions): AnyClient {
  const basic =
    o.credentials.type === 'basic'
      ? { basic: { email: o.credentials.email, apiToken: o.credentials.apiToken } }
      : undefined;
  const headers = o.credentials.type === 'pat' ? { Authorization: `Bearer ${o.credentials.token}` } : {};
  const config = {
    host: o.host,
    authentication: basic,
    baseRequestConfig: { timeout: o.timeoutMs, headers },
  };
  const client: AnyClient = o.flavour === 'cloud' ? new Version3Client(config) : new Version2Client(config);
  const { gate } = o.transport;
  const axiosInstance = (client as unknown as { instance?: AxiosLike }).instance;
  // Without the interceptors nothing would honour Retry-After: fail at start, not under load.
  if (!axiosInstance?.interceptors) throw new Error('jira.js no longer exposes its axios instance');
  axiosInstance.interceptors.request.use(async (cfg) => {
    await gate.wait();
    return cfg;
  });
  axiosInstance.interceptors.response.use(
    (res) => res,
    (err: unknown) => {
      const res = (err as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
      const raw = res?.headers?.['retry-after'];
      if (res?.status !== undefined)
        gate.answeredWithHeader(res.status, raw === undefined ? null : String(raw));
      return Promise.reject(err);
    },
  );
  return client;
}

/** Builds the JiraApi over jira.js: Cloud (Version3Client, ADF) or Data Center (Version2Client, wiki). */
export function createJiraClient(o: JiraClientOptions): JiraApi {
  const client = createJiraJsClient(o);
  const v3 = client instanceof Version3Client ? client : null;
  const c = client as Version3Client; // method names and shapes are identical for what we call

  return {
    flavour: o.flavour,
    createIssue: async (fields, properties) => {
      const created = await c.issues.createIssue({ fields: fields as never, properties });
      return { id: String(created.id), key: String(created.key) };
    },
    getStatusCategory: async (issue) => {
      const got = await c.issues.getIssue({ issueIdOrKey: issue, fields: ['status'] });
      return got.fields?.status?.statusCategory?.key;
    },
    getStatus: async (issue) => {
      const got = await c.issues.getIssue({ issueIdOrKey: issue, fields: ['status'] });
      return { name: got.fields?.status?.name, category: got.fields?.status?.statusCategory?.key };
    },
    getWorkState: async (issue) => {
      const got = await c.issues.getIssue({ issueIdOrKey: issue, fields: ['status', 'assignee'] });
      const assignee = got.fields?.assignee as { accountId?: string; name?: string } | null | undefined;
      const id = v3 ? assignee?.accountId : assignee?.name;
      return { category: got.fields?.status?.statusCategory?.key, assignee: id ?? null };
    },
    findUsers: async (query) => {
      // Data Center's user search takes `username` (matched against username, name and e-mail).
      const users = await c.userSearch.findUsers(v3 ? { query } : { username: query });
      return (users ?? []).flatMap((u) => {
        const raw = u as { accountId?: string; name?: string; accountType?: string };
        const id = v3 ? raw.accountId : raw.name;
        if (!id) return [];
        return [
          {
            id,
            displayName: String(u.displayName ?? id),
            email: u.emailAddress ?? null,
            active: u.active !== false,
            accountType: raw.accountType,
          },
        ];
      });
    },
    setAssignee: async (issue, user) => {
      await c.issues.editIssue({
        issueIdOrKey: issue,
        fields: { assignee: user === null ? null : v3 ? { accountId: user } : { name: user } } as never,
      });
    },
    addServiceDeskComment: async (issue, body, isPublic) => {
      await c.sendRequestFullResponse({
        url: `/rest/servicedeskapi/request/${encodeURIComponent(issue)}/comment`,
        method: 'POST',
        data: { body, public: isPublic },
      });
    },
    getUser: async (id) => {
      const u = await c.users.getUser(v3 ? { accountId: id } : { username: id });
      const raw = u as { accountId?: string; name?: string; accountType?: string };
      return {
        id: (v3 ? raw.accountId : raw.name) ?? id,
        displayName: String(u.displayName ?? id),
        email: u.emailAddress ?? null,
        active: u.active !== false,
        accountType: raw.accountType,
      };
    },
    addComment: async (issue, body) => {
      await c.issueComments.addComment({ issueIdOrKey: issue, comment: body as never });
    },
    recentComments: async (issue, max) => {
      const res = await c.issueComments.getComments({
        issueIdOrKey: issue,
        orderBy: '-created',
        maxResults: max,
      });
      return (res.comments ?? []).map((x) => x.body);
    },
    setPriority: async (issue, name) => {
      await c.issues.editIssue({ issueIdOrKey: issue, fields: { priority: { name } } });
    },
    editLabels: async (issue, change) => {
      await c.issues.editIssue({
        issueIdOrKey: issue,
        update: {
          labels: [...change.add.map((add) => ({ add })), ...change.remove.map((remove) => ({ remove }))],
        },
      });
    },
    getTransitions: async (issue) => {
      const res = await c.issues.getTransitions({ issueIdOrKey: issue });
      return (res.transitions ?? []).map((t) => ({
        id: String(t.id),
        name: String(t.name),
        category: t.to?.statusCategory?.key,
        to: t.to?.name,
      }));
    },
    doTransition: async (issue, id) => {
      await c.issues.doTransition({ issueIdOrKey: issue, transition: { id } });
    },
    linkIssues: async (type, inward, outward) => {
      await c.issueLinks.linkIssues({
        type: { name: type },
        inwardIssue: { key: inward },
        outwardIssue: { key: outward },
      });
    },
    issueLinks: async (issue) => {
      const got = await c.issues.getIssue({ issueIdOrKey: issue, fields: ['issuelinks'] });
      return (got.fields?.issuelinks ?? []).flatMap((l) => {
        const key = l.outwardIssue?.key ?? l.inwardIssue?.key;
        return key && l.type?.name ? [{ type: l.type.name, key }] : [];
      });
    },
    upsertRemoteLink: async (issue, l) => {
      await c.issueRemoteLinks.createOrUpdateRemoteIssueLink({
        issueIdOrKey: issue,
        globalId: l.globalId,
        application: l.application,
        relationship: 'mirrors',
        object: {
          url: l.url,
          title: l.title,
          icon: { url16x16: `${new URL(l.url).origin}/favicon.ico`, title: l.application.name },
        },
      });
    },
    search: async (jql, opts) => {
      // Cloud: /search/jql (the old /search answers 410); Data Center still serves /rest/api/2/search.
      const res = v3
        ? await v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
            jql,
            fields: ['id'],
            properties: opts.properties,
            reconcileIssues: opts.reconcileIssues.length > 0 ? opts.reconcileIssues : undefined,
            maxResults: opts.maxResults,
          })
        : await (client as Version2Client).issueSearch.searchForIssuesUsingJql({
            jql,
            fields: ['id'],
            properties: opts.properties,
            maxResults: opts.maxResults,
          });
      return (res.issues ?? []).map((i) => ({
        id: String(i.id),
        key: String(i.key),
        properties: ((i as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
          string,
          unknown
        >,
      }));
    },
  };
}

/**
 * jira.js/axios failure → IntegrationError. 429/5xx and network failures are retryable (with Retry-After
 * when sent, read against `nowMs`); 400 with field errors, 401, 403, 404 are permanent.
 */
export function toIntegrationError(operation: string, err: unknown, nowMs: number): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const status = err instanceof HttpException ? err.status : null;
  const cause = (err as { cause?: { response?: { headers?: Record<string, unknown> }; code?: string } })
    .cause;
  const axiosLike = err as {
    response?: { status?: number; headers?: Record<string, unknown> };
    code?: string;
    message?: string;
  };
  const httpStatus = status ?? axiosLike.response?.status ?? null;
  if (httpStatus === null) {
    // No response: timeout (ECONNABORTED), refused, reset. A write's outcome is unknown — look it up first.
    return new IntegrationError(
      'jira',
      operation,
      null,
      axiosLike.code ?? axiosLike.message ?? 'network error',
      true,
    );
  }
  const headers = cause?.response?.headers ?? axiosLike.response?.headers ?? {};
  const retryAfterRaw = headers['retry-after'];
  const retryAfter = retryAfterRaw === undefined ? null : parseRetryAfter(String(retryAfterRaw), nowMs);
  const retryable = httpStatus === 429 || httpStatus === 408 || httpStatus >= 500;
  const reason = headers['ratelimit-reason'] ? ` (${String(headers['ratelimit-reason'])})` : '';
  return new IntegrationError(
    'jira',
    operation,
    httpStatus,
    `${httpStatus} ${describe(err)}${reason}`,
    retryable,
    retryAfter,
  );
}

/** `errorMessages` and `errors` from Jira's error body. */
function describe(err: unknown): string {
  const response = err instanceof HttpException ? err.response : undefined;
  const data =
    typeof response === 'object' && response !== null ? (response as { data?: unknown }).data : undefined;
  const body = data as { errorMessages?: unknown; errors?: unknown } | undefined;
  const messages = Array.isArray(body?.errorMessages) ? body.errorMessages.map(String) : [];
  const fields =
    body?.errors && typeof body.errors === 'object'
      ? Object.entries(body.errors).map(([k, v]) => `${k}: ${String(v)}`)
      : [];
  const all = [...messages, ...fields];
  return all.length > 0 ? all.join('; ') : err instanceof Error ? err.message : 'request failed';
}
