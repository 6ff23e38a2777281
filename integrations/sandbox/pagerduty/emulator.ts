import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock } from '../../clock/system-clock';
import { defaultFaults, FaultInjector, type CallLogEntry, type Faults } from '../faults';
import { parseJson, type EmuRequest, type EmuResponse } from '../http-util';
import { emulatorHandle, listenEmulator } from '../serve-emulator';

/** One event as PagerDuty's Events API v2 received it. */
export interface PagerDutyEvent {
  routingKey: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  dedupKey: string;
  summary: string | null;
  severity: string | null;
  source: string | null;
  at: number;
}

/** An alert as PagerDuty keeps it per dedup key: triggered, then acknowledged or resolved. */
export interface PagerDutyAlert {
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  /** Trigger events deduplicated into this alert (a retried trigger does not page twice). */
  triggers: number;
}

export interface PagerDutyEmulator {
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  readonly events: PagerDutyEvent[];
  readonly alerts: Map<string, PagerDutyAlert>;
  readonly faults: Faults;
  readonly callLog: CallLogEntry[];
}

/** Keeps the newest events and alerts only, so a long-running sandbox does not grow without bound. */
const MAX_EVENTS = 10_000;
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;

const invalid = (errors: string[]): EmuResponse => ({
  status: 400,
  body: { status: 'invalid event', message: 'Event object is invalid', errors },
});

/**
 * PagerDuty's Events API v2 (`POST /v2/enqueue`) for tests and the sandbox: validates events as
 * PagerDuty documents them (routing key, action, dedup key; summary, source and severity on trigger),
 * answers `202 {status:"success", dedup_key}`, and keeps one alert per dedup key, so a repeated trigger
 * is deduplicated as the real service does. https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 */
export function createPagerDutyEmulator(
  opts: { prefix?: string; faults?: Partial<Faults>; now?: () => number } = {},
): PagerDutyEmulator {
  const now = opts.now ?? (() => systemClock.now().getTime());
  const prefix = opts.prefix ?? '';
  const faults: Faults = { ...defaultFaults(), ...opts.faults };
  const events: PagerDutyEvent[] = [];
  const alerts = new Map<string, PagerDutyAlert>();
  const injector = new FaultInjector(faults, now, {
    // PagerDuty's 429 carries no Retry-After; clients back off on their own.
    rateLimited: () => ({
      status: 429,
      body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
    }),
    serverError: (status) => ({ status, body: { status: 'error', message: 'Internal error' } }),
  });

  function enqueue(req: EmuRequest): EmuResponse {
    let body: unknown;
    try {
      body = parseJson(req.body);
    } catch {
      return {
        status: 400,
        body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Malformed JSON'] },
      };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return invalid(['Event must be an object']);
    const e = body as Record<string, unknown>;
    const payload = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as Record<
      string,
      unknown
    >;
    const errors: string[] = [];
    if (typeof e.routing_key !== 'string' || e.routing_key.length === 0)
      errors.push("'routing_key' is missing or blank");
    const action = ACTIONS.find((a) => a === e.event_action);
    if (!action) errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
    const dedup = typeof e.dedup_key === 'string' && e.dedup_key.length > 0 ? e.dedup_key : null;
    if (action !== 'trigger' && !dedup) errors.push("'dedup_key' is required for acknowledge and resolve");
    if (dedup && dedup.length > 255) errors.push("'dedup_key' must be at most 255 characters");
    if (action === 'trigger') {
      if (typeof payload.summary !== 'string' || !payload.summary)
        errors.push("'payload.summary' is missing or blank");
      else if (payload.summary.length > 1024)
        errors.push("'payload.summary' must be at most 1024 characters");
      if (typeof payload.source !== 'string' || !payload.source)
        errors.push("'payload.source' is missing or blank");
      if (typeof payload.severity !== 'string' || !SEVERITIES.includes(payload.severity))
        errors.push("'payload.severity' is invalid (must be one of critical, error, warning, info)");
    }
    if (errors.length > 0 || !action) return invalid(errors);
    const dedupKey = dedup ?? `emu-${events.length + 1}`;
    events.push({
      routingKey: e.routing_key as string,
      action,
      dedupKey,
      summary: typeof payload.summary === 'string' ? payload.summary : null,
      severity: typeof payload.severity === 'string' ? payload.severity : null,
      source: typeof payload.source === 'string' ? payload.source : null,
      at: now(),
    });
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
    const alert = alerts.get(dedupKey);
    if (action === 'trigger') {
      if (alert && alert.status !== 'resolved') alert.triggers++;
      else alerts.set(dedupKey, { dedupKey, status: 'triggered', triggers: 1 });
    } else if (alert && alert.status !== 'resolved') {
      alert.status = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    }
    if (alerts.size > MAX_EVENTS) alerts.delete(alerts.keys().next().value!);
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  }

  const handle = emulatorHandle(prefix, injector, (req) =>
    req.method === 'POST' && req.path === '/v2/enqueue'
      ? enqueue(req)
      : { status: 404, body: { status: 'not found', message: `no resource ${req.method} ${req.path}` } },
  );
  return {
    handle,
    events,
    alerts,
    faults,
    callLog: injector.callLog,
    listen: (port = 0) =>
      listenEmulator(handle, port, prefix, {
        notFound: { status: 404, body: { status: 'not found' } },
        failed: (err) => ({ status: 500, body: { status: 'error', message: String(err) } }),
      }),
  };
}
