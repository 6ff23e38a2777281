import createClient, { type Client } from 'openapi-fetch';
import { IntegrationError } from '../../src/errors';
import { gatedFetch } from '../http/request-gate';
import { parseRetryAfter } from '../http/retry-after';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import type { paths } from './generated/schema';
import { OAuthError, OAuthSession } from './oauth-session';

/** Credentials after the config's Secrets have been revealed — only ever held inside the client. */
export type ServiceNowCredentials =
  | { type: 'basic'; username: string; password: string }
  | { type: 'oauth'; clientId: string; clientSecret: string; username: string; password: string };

export interface ServiceNowClientOptions {
  /** Instance URL or the emulator's URL (e.g. `http://127.0.0.1:3000/sandbox/servicenow`). */
  baseUrl: string;
  credentials: ServiceNowCredentials;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** The ServiceNow lane driver: its concurrency limit, Retry-After gate and clock hold for every request. */
  transport: GatedTransport;
  fetch?: typeof fetch;
}

export type ServiceNowApi = Client<paths>;

/**
 * openapi-fetch client typed by our OpenAPI subset. The injected `fetch` is wrapped to add auth (Basic
 * or an OAuth bearer token renewed once on 401) and a timeout; each call runs in the transport's limit
 * and every request (token requests included) waits at its gate right before the wire.
 */
export function createServiceNowClient(o: ServiceNowClientOptions): ServiceNowApi {
  return createClient<paths>({ baseUrl: o.baseUrl, fetch: createServiceNowFetch(o) });
}

/**
 * The authenticated fetch under the client (auth, timeout, the transport's limit and gate), for calls
 * the typed client cannot make: attachment bytes in and out.
 */
export function createServiceNowFetch(o: ServiceNowClientOptions): (input: Request) => Promise<Response> {
  const { transport } = o;
  const baseFetch = gatedFetch(transport.gate, o.fetch ?? globalThis.fetch);
  const session =
    o.credentials.type === 'oauth'
      ? new OAuthSession({
          ...o.credentials,
          baseUrl: o.baseUrl.replace(/\/$/, ''),
          fetch: baseFetch,
          now: () => transport.clock.now().getTime(),
        })
      : null;
  const basic =
    o.credentials.type === 'basic'
      ? `Basic ${Buffer.from(`${o.credentials.username}:${o.credentials.password}`).toString('base64')}`
      : null;

  const send = async (request: Request, authorization: string): Promise<Response> => {
    const req = new Request(request, { signal: AbortSignal.timeout(o.timeoutMs) });
    req.headers.set('Authorization', authorization);
    if (!req.headers.has('Accept')) req.headers.set('Accept', 'application/json');
    return baseFetch(req);
  };

  const authedFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (!session) return send(request, basic ?? '');
    const retry = request.clone();
    const first = await send(request, `Bearer ${await session.token()}`);
    if (first.status !== 401) return first;
    // Token expired or revoked server-side: renew (refresh grant, else password grant) and retry once.
    await first.body?.cancel();
    return send(retry, `Bearer ${await session.renew()}`);
  };

  return (input: Request) => transport.request(() => authedFetch(input));
}

/** What came back from one openapi-fetch call, enough to build an IntegrationError. */
export interface FailedCall {
  response: Response;
  error: unknown;
}

/**
 * ServiceNow failure → IntegrationError. 429 and 5xx are retryable (with Retry-After when sent, read
 * against `nowMs`; a 429 from a full semaphore queue has none), 400/401/403/404 are permanent and carry
 * the envelope's message.
 */
export function toIntegrationError(operation: string, call: FailedCall, nowMs: number): IntegrationError {
  const status = call.response.status;
  const retryable = status === 429 || status === 408 || status >= 500;
  return new IntegrationError(
    'servicenow',
    operation,
    status,
    `${status} ${describe(call.error)}`,
    retryable,
    parseRetryAfter(call.response.headers.get('retry-after'), nowMs),
  );
}

/** Network failure, timeout or token-endpoint failure thrown by fetch → IntegrationError. */
export function fromThrown(operation: string, err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof OAuthError) {
    const retryable = err.status !== null && (err.status === 429 || err.status >= 500);
    return new IntegrationError('servicenow', operation, err.status, `OAuth: ${err.message}`, retryable);
  }
  const name = err instanceof Error ? err.name : '';
  const message =
    name === 'TimeoutError' || name === 'AbortError'
      ? 'request timed out'
      : String((err as Error)?.message ?? err);
  // The outcome of a timed-out write is unknown: the caller must look the record up before retrying a create.
  return new IntegrationError('servicenow', operation, null, message, true);
}

function describe(error: unknown): string {
  const e = (error as { error?: { message?: unknown; detail?: unknown } } | undefined)?.error;
  if (e && typeof e === 'object')
    return [e.message, e.detail].filter((x) => typeof x === 'string' && x).join(': ');
  return typeof error === 'string' ? error.slice(0, 200) : 'request failed';
}
