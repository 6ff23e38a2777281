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
  maxInFlight: number;
  /** Requests being handled now; shared so correlation can give way to ingest. */
  inFlight: { count: number };
  maxCorrelationLagSeconds: number;
  mounts: Mount[];
  /** Rotations and static on-call lists for /api/oncall. */
  oncall: OnCallDeps;
  now: () => Date;
  /** True once a graceful shutdown began: every new request is refused with 503 + Retry-After. */
  draining?: () => boolean;
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

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const webhook = /^\/webhooks\/([a-z0-9-]+)\/?$/.exec(path);
    if (webhook) {
      if (deps.inFlight.count > deps.maxInFlight) {
        // Overload is a 5xx: Alertmanager retries only those (a 429 would drop the flush).
        return sendError(res, 503, 'overloaded', 'too many requests in flight; retry shortly', {
          headers: { 'retry-after': '1' },
        });
      }
      return receiveWebhook(webhookDeps, webhook[1]!, req, res);
    }
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz')
      return readiness(deps.store, deps.now(), deps.maxCorrelationLagSeconds, res);
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
      if (one) return getIncident(deps.store, decodeURIComponent(one[1]!), req, res);
      if (path === '/api/oncall' || path === '/api/oncall/') return getOnCall(deps.oncall, deps.now(), res);
      if (path === '/api/shifts' || path === '/api/shifts/')
        return getShifts(
          deps.store,
          deps.oncall.providers.map((p) => p.name),
          url,
          res,
        );
      const feed = /^\/api\/oncall\/([^/]+)\.ics$/.exec(path);
      if (feed) return getOnCallCalendar(deps.oncall, decodeURIComponent(feed[1]!), deps.now(), res);
    }
    for (const mount of deps.mounts) {
      if (await mount(req, res, url)) return;
    }
    sendError(res, 404, 'not_found', `no route for ${req.method} ${path}`);
  }

  return (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    // Refused before it counts as in flight: the drain waits only for requests it let in. The in-process
    // sandbox keeps answering: the remote calls being finished may be calls to it.
    setSecurityHeaders(res);
    if (deps.draining?.() && !req.url?.startsWith('/sandbox/')) return refuseWhileDraining(req, res);
    deps.inFlight.count++;
    res.once('close', () => deps.inFlight.count--);
    // Everything this request logs or queues (alerts, outbox commands) carries its id.
    withRequestId(requestId, () => route(req, res)).catch((err: unknown) => {
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
