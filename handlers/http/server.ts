import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { OnCallDeps } from '../../src/app/list-oncall';
import type { Secret } from '../../src/config/secret';
import type { Logger } from '../../src/ports/logger';
import type { Store } from '../../src/ports/store';
import { receiveWebhook, type WebhookDeps } from '../webhooks/receive-webhook';
import { bearerMatches } from './auth';
import { readiness } from './health';
import { getIncident, listIncidents } from './incidents-api';
import { routeHandoffs, type HandoffApiDeps } from './handoffs-api';
import type { Metrics, MetricsExposition } from '../../src/ports/metrics';
import { sendMetrics } from './metrics';
import { getOnCall, getOnCallCalendar, getShifts } from './oncall-api';
import { sendError, sendJson } from './respond';
import { requestIdOf } from './request-id';
import { withRequestId } from '../../src/app/request-context';
import { setSecurityHeaders } from './security-headers';
import { routeClass, type InFlight } from './in-flight';

/** A handler mounted on the server (sandbox emulators, reports); returns false when the path is not its own. */
export type Mount = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface HttpDeps {
  store: Pick<
    Store,
    'inbox' | 'outbox' | 'ping' | 'incidents' | 'timeline' | 'handoffs' | 'escalations' | 'shifts'
  >;
  /** The hand-off use-cases for /api/incidents/:id/handoffs and /api/handoffs. */
  handoffs: HandoffApiDeps;
  logger: Logger;
  /** Counted events and the /metrics exposition. */
  metrics: Metrics & MetricsExposition;
  webhooks: Omit<WebhookDeps, 'onResult'>;
  apiToken: Secret;
  /** Requests being handled now per route class, each against its budget; shared with correlation. */
  inFlight: InFlight;
  /** How long a request's body may take to arrive once a handler waits for it (then 408). */
  bodyTimeoutMs: number;
  maxCorrelationLagSeconds: number;
  /** Where correlation runs now (its own thread, or the event loop: configured so, or after the thread failed). */
  correlationRunsOn?: () => 'thread' | 'event-loop';
  mounts: Mount[];
  /** Rotations and static on-call lists for /api/oncall. */
  oncall: OnCallDeps;
  now: () => Date;
  /** True once a graceful shutdown began: every new request is refused with 503 + Retry-After. */
  draining?: () => boolean;
  /** The two-way sync's webhooks (`/webhooks/jira`, `/webhooks/servicenow`), before the alert sources. */
  syncWebhooks?: Partial<Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>>;
}

/**
 * The request handler of the one HTTP server (DESIGN.md §3), installed on the listening server by
 * `serve` (handlers/http/listen.ts). Plain node:http: the routes are few, and the ingest benchmark
 * compares us against a bare node:http server, so every layer here is measured overhead.
 */
export function createRequestHandler(deps: HttpDeps): RequestListener {
  const webhookDeps: WebhookDeps = {
    ...deps.webhooks,
    onResult: (source, status, alerts) => deps.metrics.webhookAnswered(source, status, alerts),
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const webhook = /^\/webhooks\/([a-z0-9-]+)\/?$/.exec(path);
    const sync = webhook ? deps.syncWebhooks?.[webhook[1]!] : undefined;
    if (sync) return sync(req, res);
    if (webhook) return receiveWebhook(webhookDeps, webhook[1]!, req, res);
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz')
      return readiness(
        deps.store,
        deps.now(),
        deps.maxCorrelationLagSeconds,
        res,
        deps.correlationRunsOn?.(),
      );
    if (req.method === 'GET' && path === '/metrics') return sendMetrics(deps.metrics, res);
    if (path.startsWith('/api/')) {
      if (!bearerMatches(req, deps.apiToken))
        return sendError(res, 401, 'unauthorized', 'missing or wrong API bearer token', {
          headers: { 'www-authenticate': 'Bearer' },
        });
      if (await routeHandoffs(deps.handoffs, req, res, path, url)) return;
      if (req.method !== 'GET')
        return sendError(res, 405, 'method_not_allowed', 'use GET', { headers: { allow: 'GET' } });
      if (path === '/api/incidents' || path === '/api/incidents/') return listIncidents(deps.store, url, res);
      const one = /^\/api\/incidents\/([^/]+)$/.exec(path);
      if (one) {
        const ref = decodeSegment(one[1]!, res);
        return ref === null ? undefined : getIncident(deps.store, ref, req, res);
      }
      if (path === '/api/oncall' || path === '/api/oncall/') return getOnCall(deps.oncall, deps.now(), res);
      if (path === '/api/shifts' || path === '/api/shifts/')
        return getShifts(
          deps.store,
          deps.oncall.providers.map((p) => p.name),
          url,
          res,
        );
      const feed = /^\/api\/oncall\/([^/]+)\.ics$/.exec(path);
      if (feed) {
        const provider = decodeSegment(feed[1]!, res);
        return provider === null ? undefined : getOnCallCalendar(deps.oncall, provider, deps.now(), res);
      }
    }
    for (const mount of deps.mounts) {
      if (await mount(req, res, url)) return;
    }
    sendError(res, 404, 'not_found', `no route for ${req.method} ${path}`);
  }

  return (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    setSecurityHeaders(res);
    // Refused before it counts as in flight: the drain waits only for requests it let in. The in-process
    // sandbox keeps answering: the remote calls being finished may be calls to it.
    if (deps.draining?.() && !req.url?.startsWith('/sandbox/')) return refuseWhileDraining(req, res);
    deps.inFlight.begin();
    res.once('close', () => deps.inFlight.end());
    // Parsed once per request: the route and its budget class read the same URL.
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cls = routeClass(url.pathname);
    if (cls) {
      if (!deps.inFlight.enter(cls)) {
        // Overload is a 5xx: Alertmanager retries only those (a 429 would drop the flush). The body is
        // not read; closing the connection frees the socket a slow sender holds.
        return sendError(res, 503, 'overloaded', `too many ${cls} requests in flight; retry shortly`, {
          headers: { 'retry-after': '1', connection: 'close' },
        });
      }
      res.once('close', () => deps.inFlight.leave(cls));
    }
    const timedOut = bodyDeadline(req, res, deps.bodyTimeoutMs);
    // Everything this request logs or queues (alerts, outbox commands) carries its id.
    withRequestId(requestId, () => route(req, res, url)).catch((err: unknown) => {
      if (timedOut()) return;
      deps.logger.error('request failed', {
        method: req.method,
        path: req.url?.split('?')[0],
        error: (err as Error).message,
      });
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'internal error; see the server log');
      else res.destroy();
    });
  };
}

/**
 * During a graceful shutdown: 503 + Retry-After for everything, so monitoring delivers again (to this
 * instance after its restart, or to another one); /healthz says `draining` so a load balancer or
 * orchestrator takes the instance out at once.
 */
function refuseWhileDraining(req: IncomingMessage, res: ServerResponse): void {
  const headers = { 'retry-after': '5', connection: 'close' };
  if (req.url?.split('?')[0] === '/healthz') return sendJson(res, 503, { status: 'draining' }, headers);
  sendError(res, 503, 'draining', 'itsm-bridge is shutting down; retry shortly', { headers });
}

/**
 * A body that has not fully arrived `ms` after the request started gets 408 and its connection is
 * closed, whichever handler (ours, Bolt's, the Agents SDK's, an emulator's) is waiting for it. Returns
 * whether that happened, so the handler's aborted read is not logged as a failure.
 */
function bodyDeadline(req: IncomingMessage, res: ServerResponse, ms: number): () => boolean {
  let fired = false;
  const timer = setTimeout(() => {
    if (req.complete || res.writableEnded) return;
    fired = true;
    // With `connection: close` node destroys the socket once the 408 is written.
    if (res.headersSent) res.destroy();
    else
      sendError(res, 408, 'request_timeout', `request body not received within ${ms / 1000} s`, {
        headers: { connection: 'close' },
      });
  }, ms);
  timer.unref();
  res.once('close', () => clearTimeout(timer));
  return () => fired;
}

/** A percent-decoded path segment, or null after answering 400 naming the path (`%E0%A4%A` is no UTF-8). */
function decodeSegment(segment: string, res: ServerResponse): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    sendError(res, 400, 'invalid_path', `path segment "${segment}" is not valid percent-encoded UTF-8`, {
      issues: [{ path: 'path', message: 'malformed percent-encoding' }],
    });
    return null;
  }
}
