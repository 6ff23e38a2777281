import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock/system-clock';
import { handleAttachment } from './attachment-api';
import { authenticate, issueToken } from './auth';
import { defaultFaults, FaultInjector, type Faults, type RateLimitCause } from '../faults';
import type { EmuRequest, EmuResponse } from '../http-util';
import { SANDBOX_IDENTITIES } from '../sandbox-identities';
import { emulatorHandle, listenEmulator } from '../serve-emulator';
import { defaultRules, type ServiceNowRules } from './read-rules';
import { snError } from './render';
import {
  createState,
  DEFAULT_CIS,
  DEFAULT_GROUPS,
  DEFAULT_USERS,
  type SeedUser,
  type ServiceNowState,
} from './state';
import { handleTable } from './table-api';
import { pushChange, type PushTarget } from './push';

export { retryAfterViolations, type CallLogEntry, type FaultStep, type Faults } from '../faults';
export type { ServiceNowState, SeedUser } from './state';
export type { ServiceNowRules } from './read-rules';
export { pushBody, pushSignature, type PushTarget } from './push';

export interface ServiceNowEmulatorOptions {
  /** Mount prefix for `handle`, e.g. `/sandbox/servicenow`; '' when served on its own port. */
  prefix?: string;
  /** Default: the sandbox's integration user (`itsm.bridge`, see sandbox-identities.ts) and `service.desk`. */
  users?: SeedUser[];
  /** Assignment group names. Default: DMS Infrastructure, DMS Application, Service Desk. */
  groups?: string[];
  /** Configuration item names (cmdb_ci). */
  cis?: string[];
  /** OAuth clients, id → secret. Default: the sandbox's client (`itsm-bridge`). */
  oauthClients?: Record<string, string>;
  /** Access-token lifetime (ServiceNow's default is 1800 s). */
  accessTokenTtlSeconds?: number;
  /** ACLs and column lengths of the instance (row ACLs, unreadable tables, description length). */
  rules?: Partial<ServiceNowRules>;
  faults?: Partial<Faults>;
  /** Clock for record timestamps, token expiry and the call log (epoch ms). */
  now?: () => number;
  /** Post each change of a bridge incident there, as the shipped business rule does (see `push`). */
  push?: PushTarget;
}

export interface ServiceNowEmulator {
  /** Handles the request when its path is under `prefix`; resolves false when it is not ours. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Serves on its own port (0 = ephemeral). */
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  readonly state: ServiceNowState;
  /** Change at runtime: `emu.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 2 })`. */
  readonly faults: Faults;
  /** ACLs and column lengths, changeable at runtime: `emu.rules.unreadableTables = {...}`. */
  readonly rules: ServiceNowRules;
  /** Expires every access token so the next Bearer call answers 401 (tests the refresh path). */
  expireTokens(): void;
  /** Most requests that were ever in flight at once (compare with the client's concurrency limit). */
  inFlightPeak(): number;
  /** Requests held by a scripted `queued` fault that have not been applied yet. */
  queuedRequests(): number;
  /** Where changes are pushed (business-rule.js); null: not pushed. Settable once the bridge's URL is known. */
  push: PushTarget | null;
  /** Pushes posted and answered 2xx, those that failed after their retry, and those not settled yet. */
  readonly pushes: { delivered: number; failed: number; pending: number };
}

const SANDBOX_CLIENT = SANDBOX_IDENTITIES.servicenow.oauthClient;

/** Value of X-RateLimit-Rule: the sys_id of the (emulated) sys_rate_limit_rules record. */
const RATE_RULE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/**
 * A small ServiceNow emulator (Table API, Attachment API, OAuth) with fault injection, for the sandbox
 * and the contract tests. It rejects what a default instance rejects; see docs/ticket-systems.md.
 */
export function createServiceNowEmulator(opts: ServiceNowEmulatorOptions = {}): ServiceNowEmulator {
  // The remote's own clock: the wall clock unless a test moves it.
  const now = opts.now ?? (() => systemClock.now().getTime());
  const prefix = opts.prefix ?? '';
  const ttl = opts.accessTokenTtlSeconds ?? 1800;
  const faults: Faults = { ...defaultFaults(), ...opts.faults };
  const rules: ServiceNowRules = { ...defaultRules(), ...opts.rules };
  const state = createState({
    users: opts.users ?? DEFAULT_USERS,
    groups: opts.groups ?? DEFAULT_GROUPS,
    cis: opts.cis ?? DEFAULT_CIS,
    oauthClients: opts.oauthClients ?? { [SANDBOX_CLIENT.id]: SANDBOX_CLIENT.secret },
    now: now(),
  });
  const injector = new FaultInjector(faults, now, {
    rateLimited: (seconds, cause) => rateLimited(seconds, cause, faults, now()),
    serverError: (status) =>
      snError(status, 'Service Unavailable', 'The instance is temporarily unavailable'),
  });
  state.callLog = injector.callLog;
  const pushes = { delivered: 0, failed: 0, pending: 0 };
  let push: PushTarget | null = opts.push ?? null;
  const onUpdate = (incident: Record<string, string>, journal: Record<string, string>[]) => {
    const settled = (ok: boolean) => {
      pushes.pending--;
      if (ok) pushes.delivered++;
      else pushes.failed++;
    };
    if (push && pushChange(push, state, incident, journal, settled)) pushes.pending++;
  };

  async function route(req: EmuRequest): Promise<EmuResponse> {
    if (req.method === 'POST' && req.path === '/oauth_token.do') return issueToken(req, state, now(), ttl);
    const user = authenticate(req, state, now());
    if (typeof user !== 'string') return user;
    if (req.path.startsWith('/api/now/attachment')) return handleAttachment(req, state, now(), user);
    if (/^\/api\/now(\/v[12])?\/table\//.test(req.path))
      return handleTable(req, { state, now, user, rules, onUpdate });
    return snError(400, 'Requested URI does not represent any resource', null);
  }

  const handle = emulatorHandle(prefix, injector, route);

  return {
    handle,
    state,
    faults,
    rules,
    get push() {
      return push;
    },
    set push(target: PushTarget | null) {
      push = target;
    },
    pushes,
    expireTokens: () => state.accessTokens.forEach((t) => (t.expiresAt = 0)),
    inFlightPeak: () => injector.maxInFlight,
    queuedRequests: () => injector.queued,
    listen: (port = 0) => listenEmulator(handle, port, prefix, LISTEN_ERRORS),
  };
}

/**
 * 429 as ServiceNow sends it. Rate-limit rules carry Retry-After and X-RateLimit-* (Reset as Unix time);
 * a full API_INT semaphore queue answers 429 without them — clients must fall back to backoff.
 */
function rateLimited(
  seconds: number | null,
  cause: RateLimitCause,
  faults: Faults,
  nowMs: number,
): EmuResponse {
  if (cause === 'concurrency') {
    return snError(429, 'Too Many Requests', 'The API_INT semaphore queue is full; retry later');
  }
  const limit = faults.requestRate?.limit ?? 10000;
  const wait = seconds ?? 1;
  return {
    ...snError(429, 'Rate limit exceeded', `Rate limit of ${limit} requests per hour for Table API exceeded`),
    headers: {
      'Retry-After': String(wait),
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil(nowMs / 1000) + wait),
      'X-RateLimit-Rule': RATE_RULE_ID,
    },
  };
}

const LISTEN_ERRORS = {
  notFound: snError(404, 'Not found', null),
  failed: (err: unknown) => snError(500, 'Internal emulator error', String(err)),
};
