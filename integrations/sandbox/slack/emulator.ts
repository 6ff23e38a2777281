import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock/system-clock';
import { defaultFaults, FaultInjector, pushBounded, type CallLogEntry, type Faults } from '../faults';
import { type EmuRequest, type EmuResponse } from '../http-util';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';
import { emulatorHandle, listenEmulator } from '../serve-emulator';
import { deleteMessage, postEphemeral, postMessage, updateMessage } from './chat-api';
import { authenticate, readParams, slackFail, slackRateLimited, str, type SlackContext } from './context';
import { completeUpload, getUploadUrl, receiveUpload, UPLOAD_PATH } from './files-api';
import { defaultRateLimits, RateLimiter, type SlackRateLimits } from './rate-limit';
import { mintResponseUrl, receiveResponse, RESPONSES_PATH, type ResponseUrlOptions } from './responses';
import {
  DEFAULT_CHANNELS,
  DEFAULT_SCOPES,
  DEFAULT_USERS,
  findChannel,
  addMessage,
  type EmuMessage,
  type SeedChannel,
  type SeedUser,
  type SlackState,
} from './state';
import { authTest, lookupByEmail, usergroupUsers, usersInfo } from './users-api';
import {
  mintTriggerId,
  openView,
  publishView,
  updateView,
  viewSubmissionPayload,
  type EnteredValue,
} from './views-api';

export { retryAfterViolations, type CallLogEntry, type FaultStep, type Faults } from '../faults';
export type { SlackRateLimits } from './rate-limit';
export type { ResponseUrlOptions } from './responses';
export type {
  EmuChannel,
  EmuEphemeral,
  EmuFile,
  EmuMessage,
  EmuResponsePost,
  EmuResponseUrl,
  EmuView,
  SeedChannel,
  SeedUser,
  SlackCall,
  SlackState,
} from './state';

export interface SlackEmulatorOptions {
  /** Mount prefix; default the sandbox's `/sandbox/slack/api` (also when serving on its own port). */
  prefix?: string;
  teamId?: string;
  teamName?: string;
  /** Accepted bot tokens. Default: the sandbox's bot token. */
  tokens?: string[];
  /** Granted bot scopes. Default: those of manifest.yaml. */
  scopes?: string[];
  channels?: SeedChannel[];
  users?: SeedUser[];
  /** User group id (`S…`) → member user ids. */
  usergroups?: Record<string, string[]>;
  botUserId?: string;
  rateLimits?: Partial<SlackRateLimits>;
  faults?: Partial<Faults>;
  /** Clock for `ts`, trigger expiry, rate limits and the call log (epoch ms). */
  now?: () => number;
}

export interface SlackEmulator {
  /** Handles the request when its path is under the prefix; resolves false when it is not ours. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Serves on its own port (0 = ephemeral); `url` includes the prefix (append `/` for `slackApiUrl`). */
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  readonly state: SlackState;
  /** Change at runtime: `emu.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 2 })`. */
  readonly faults: Faults;
  /** HTTP-level call log (every request, including faults and uploads). */
  readonly calls: CallLogEntry[];
  /** Slack's own limits; change at runtime (`emu.rateLimits.postMessagePerChannel = null`). */
  readonly rateLimits: SlackRateLimits;
  /**
   * A `response_url` as Slack sends with slash commands and interactions; answers to it are recorded in
   * `state.responseUrls`. `baseUrl` defaults to the URL of `listen()`.
   */
  mintResponseUrl(o?: ResponseUrlOptions & { baseUrl?: string }): { id: string; url: string };
  /** A `trigger_id` for `views.open`, valid for 3 s and once, for the given user. */
  mintTriggerId(user: string): string;
  /**
   * The `view_submission` Slack would send when the modal's person presses Submit with these entries
   * (by block id); sign it and POST it to the app as `payload=` (test/helpers/slack-requests).
   */
  submission(viewId: string, values: Record<string, EnteredValue>): Record<string, unknown>;
  /** A message written by a person (the bot may not update or delete it). */
  postAsUser(channel: string, user: string, text: string): EmuMessage;
  /** Top-level messages of a channel (id or name), oldest first; replies are under `.replies`. */
  messages(channel: string): EmuMessage[];
}

type Method = (ctx: SlackContext) => EmuResponse;

const METHODS: Record<string, Method> = {
  'auth.test': authTest,
  'chat.postMessage': postMessage,
  'chat.update': updateMessage,
  'chat.delete': deleteMessage,
  'chat.postEphemeral': postEphemeral,
  'views.open': openView,
  'views.update': updateView,
  'views.publish': publishView,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'users.info': usersInfo,
  'users.lookupByEmail': lookupByEmail,
  'usergroups.users.list': usergroupUsers,
};

/**
 * A small Slack Web API emulator: the methods the bridge uses, Slack's `{ok:false,error}` envelope,
 * Block Kit limits, per-channel and per-tier rate limits with 429 + Retry-After, the external file upload
 * flow and a response_url sink. For the sandbox and the adapter tests.
 */
export function createSlackEmulator(opts: SlackEmulatorOptions = {}): SlackEmulator {
  // The remote's own clock: the wall clock unless a test moves it.
  const now = opts.now ?? (() => systemClock.now().getTime());
  const prefix = opts.prefix ?? SANDBOX_IDENTITIES.slack.path;
  const faults: Faults = { ...defaultFaults(), ...opts.faults };
  const rateLimits: SlackRateLimits = { ...defaultRateLimits(), ...opts.rateLimits };
  const limiter = new RateLimiter(rateLimits, now);
  const state = createState(opts);
  const injector = new FaultInjector(faults, now, {
    // Slack always sends Retry-After with a 429.
    rateLimited: (seconds) => slackRateLimited(seconds ?? 1),
    serverError: (status) => ({
      status,
      body: { ok: false, error: status === 503 ? 'service_unavailable' : 'internal_error' },
    }),
  });
  state.callLog = injector.callLog;
  let listenUrl: string | null = null;

  async function route(req: EmuRequest): Promise<EmuResponse> {
    if (req.path.startsWith(UPLOAD_PATH)) return receiveUpload(req, state.files);
    if (req.path.startsWith(RESPONSES_PATH)) return receiveResponse(req, state, now());
    const method = req.path.slice(1);
    const read = await readParams(req);
    if ('status' in read) return read;
    const { params, json } = read;
    const handler = METHODS[method];
    const channelRef = str(params, 'channel') ?? str(params, 'channel_id') ?? null;
    const channel = channelRef ? (findChannel(state, channelRef)?.id ?? channelRef) : null;
    const response = ((): EmuResponse => {
      if (!handler) return slackFail('unknown_method', { req_method: method });
      const denied = authenticate(req, state, params, json);
      if (denied) return denied;
      const wait = limiter.check(method, channel);
      if (wait !== null) return slackRateLimited(wait);
      return handler({ state, now, baseUrl: req.baseUrl, params });
    })();
    const body = response.body as { ok?: boolean; error?: string } | undefined;
    const call = {
      at: now(),
      method,
      channel,
      ok: body?.ok === true,
      error: body?.error ?? null,
      status: response.status,
    };
    pushBounded(state.calls, call, faults.limits.callLog);
    return response;
  }

  const handle = emulatorHandle(prefix, injector, route);

  return {
    handle,
    state,
    faults,
    calls: injector.callLog,
    rateLimits,
    listen: async (port = 0) => {
      const server = await listenEmulator(handle, port, prefix, LISTEN_ERRORS);
      listenUrl = server.url;
      return server;
    },
    mintResponseUrl: ({ baseUrl, ...o } = {}) => {
      const base = baseUrl ?? listenUrl;
      if (!base) throw new Error('mintResponseUrl needs a baseUrl when the emulator is not listening');
      return mintResponseUrl(state, base.replace(/\/$/, ''), now(), o);
    },
    mintTriggerId: (user) => mintTriggerId(state, user, now()),
    submission: (viewId, values) => {
      const user = state.views.find((v) => v.id === viewId)?.user ?? '';
      return viewSubmissionPayload(state, { viewId, values, triggerId: mintTriggerId(state, user, now()) });
    },
    postAsUser: (channelRef, user, text) => {
      const channel = findChannel(state, channelRef);
      if (!channel) throw new Error(`unknown channel ${channelRef}`);
      return addMessage(state, now(), channel, { text, user, botId: null });
    },
    messages: (channelRef) => findChannel(state, channelRef)?.messages ?? [],
  };
}

function createState(opts: SlackEmulatorOptions): SlackState {
  return {
    teamId: opts.teamId ?? 'T0SANDBOX',
    teamName: opts.teamName ?? 'Sandbox',
    botUserId: opts.botUserId ?? 'U0BRIDGEBOT',
    botId: 'B0BRIDGEBOT',
    appId: 'A0ITSMBRIDGE',
    tokens: new Set(opts.tokens ?? [SANDBOX_IDENTITIES.slack.botToken]),
    scopes: new Set(opts.scopes ?? DEFAULT_SCOPES),
    channels: (opts.channels ?? DEFAULT_CHANNELS).map((c) => ({
      id: c.id,
      name: c.name.replace(/^#/, ''),
      isPrivate: c.isPrivate ?? false,
      isMember: c.isMember ?? true,
      dmUser: null,
      messages: [],
    })),
    users: opts.users ?? DEFAULT_USERS,
    usergroups: new Map(Object.entries(opts.usergroups ?? {})),
    ephemerals: [],
    deleted: [],
    views: [],
    homes: new Map(),
    files: [],
    responseUrls: new Map(),
    triggers: new Map(),
    calls: [],
    callLog: [],
    lastTsMicros: 0,
    nextId: 1,
  };
}

const LISTEN_ERRORS = {
  notFound: { status: 404, raw: 'Not Found' },
  failed: (err: unknown) => ({
    status: 500,
    body: { ok: false, error: 'internal_error', detail: String(err) },
  }),
};
