import type { Secret } from '../../src/config/secret';
import { IntegrationError } from '../../src/errors';
import type { PageEvent, Pager } from '../../src/ports/pager';
import { parseRetryAfter } from '../http/retry-after';
import type { GatedTransport } from '../lanes/remote-lane-driver';

/** A paging target with its credential: PagerDuty's integration key, or a webhook's bearer token. */
export type PagingTarget =
  { kind: 'pagerduty'; url: string; routingKey: Secret } | { kind: 'webhook'; url: string; token?: Secret };

export interface HttpPagerOptions {
  targets: Record<string, PagingTarget>;
  /** The paging lane driver: its limiter and Retry-After gate hold for every request. */
  transport: GatedTransport;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** PagerDuty's Events API v2 body: the payload only on trigger (acknowledge/resolve name the dedup key). */
function pagerDutyBody(e: PageEvent, routingKey: string) {
  return {
    routing_key: routingKey,
    event_action: e.action,
    dedup_key: e.dedupKey,
    ...(e.action === 'trigger'
      ? {
          payload: { summary: e.summary.slice(0, 1024), source: e.source, severity: e.severity },
          links: e.links,
          client: 'itsm-bridge',
        }
      : {}),
  };
}

/** The generic JSON shape for a paging gateway of one's own (documented in the README). */
function webhookBody(e: PageEvent) {
  return {
    event: e.action,
    dedupKey: e.dedupKey,
    summary: e.summary,
    severity: e.severity,
    source: e.source,
    links: e.links,
  };
}

/**
 * Pages over HTTP: PagerDuty Events API v2 (`202` on success; `400` is permanent; `429` and `5xx` are
 * retried, the dedup key keeps a retried trigger to one alert) or a generic webhook (any 2xx).
 * https://developer.pagerduty.com/docs/events-api-v2/overview/
 */
export function createHttpPager(o: HttpPagerOptions): Pager {
  const doFetch = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 10_000;
  return {
    targets: Object.keys(o.targets),
    async send(e) {
      const target = o.targets[e.target];
      if (!target)
        throw new IntegrationError(
          'paging',
          e.action,
          null,
          `no paging target "${e.target}" configured`,
          false,
        );
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (target.kind === 'webhook' && target.token)
        headers.authorization = `Bearer ${target.token.reveal()}`;
      const body =
        target.kind === 'pagerduty' ? pagerDutyBody(e, target.routingKey.reveal()) : webhookBody(e);
      const res = await o.transport.request(async () => {
        try {
          return await doFetch(target.url, {
            method: 'POST',
            headers,
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (err) {
          const reason =
            (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error';
          throw new IntegrationError('paging', e.action, null, `${e.target}: ${reason}`, true);
        }
      });
      if (res.ok) return;
      const text = await res.text().catch(() => '');
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), o.transport.clock.now().getTime());
      throw new IntegrationError(
        'paging',
        e.action,
        res.status,
        `${e.target} answered ${res.status}${describe(text)}`,
        res.status === 429 || res.status === 408 || res.status >= 500,
        retryAfter,
      );
    },
  };
}

/** PagerDuty's error body names the problems; keep them short, never echo the routing key. */
function describe(body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: unknown }).errors;
    return Array.isArray(errors) ? `: ${errors.map(String).join('; ').slice(0, 300)}` : '';
  } catch {
    return '';
  }
}
