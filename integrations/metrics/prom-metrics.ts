import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../../src/ports/clock';
import type { Metrics, MetricsExposition } from '../../src/ports/metrics';
import type { Store } from '../../src/ports/store';

export interface PromMetricsOptions {
  /** What the scrape-time gauges read: inbox lag and the outbox per lane. */
  store: { inbox: Pick<Store['inbox'], 'lag'>; outbox: Pick<Store['outbox'], 'statsByLane'> };
  clock: Clock;
  /** Lanes that run here: they show 0 instead of no series while they have no commands. */
  lanes: readonly string[];
  /** Node's process metrics (CPU, memory, event loop, GC); off in tests that count series. */
  processMetrics?: boolean;
}

/** Seconds; remote calls take from a few ms (emulator) to the adapters' 10–30 s timeouts. */
const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Snapshot = {
  lag: Awaited<ReturnType<PromMetricsOptions['store']['inbox']['lag']>>;
  lanes: Awaited<ReturnType<PromMetricsOptions['store']['outbox']['statsByLane']>>;
};

/**
 * The Metrics port on prom-client, with a registry of its own per instance (not prom-client's global
 * one), so several servers in one test process do not share or double-register series. Counters are
 * incremented by the port's methods; the store gauges are computed at scrape time from one read of the
 * store (`collect()`), so /metrics never shows a stale queue.
 */
export class PromMetrics implements Metrics, MetricsExposition {
  readonly registry = new Registry();
  #snapshot: Promise<Snapshot> | null = null;

  readonly #webhooks = this.#counter('itsm_webhook_requests_total', 'Webhook requests by source and answer', [
    'source',
    'status',
  ]);
  readonly #accepted = this.#counter('itsm_alerts_accepted_total', 'Alerts durably accepted', ['source']);
  readonly #alerts = this.#counter('itsm_alerts_total', 'Alerts durably accepted, by source and status', [
    'source',
    'status',
  ]);
  readonly #events = this.#counter('itsm_incident_events_total', 'Committed timeline events by type', [
    'type',
  ]);
  readonly #opened = this.#counter('itsm_incidents_opened_total', 'Incidents opened', [
    'provider',
    'priority',
  ]);
  readonly #resolved = this.#counter('itsm_incidents_resolved_total', 'Incidents resolved', ['by']);
  readonly #reopened = this.#counter('itsm_incidents_reopened_total', 'Incidents reopened', []);
  readonly #escalations = this.#counter('itsm_escalations_total', 'Escalations by kind', ['kind']);
  readonly #calls = this.#counter('itsm_remote_calls_total', 'Requests to remote systems', [
    'system',
    'status',
  ]);
  readonly #latency = new Histogram({
    name: 'itsm_remote_call_duration_seconds',
    help: 'Duration of requests to remote systems',
    labelNames: ['system', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly #waits = this.#counter('itsm_retry_after_waits_total', 'Times a Retry-After closed a gate', [
    'system',
  ]);
  readonly #waited = this.#counter(
    'itsm_retry_after_wait_seconds_total',
    'Seconds remote systems asked us to wait (Retry-After)',
    ['system'],
  );
  readonly #commands = this.#counter('itsm_outbox_commands_total', 'Outbox command attempts by outcome', [
    'lane',
    'kind',
    'outcome',
  ]);
  readonly #chat = this.#counter('itsm_chat_messages_total', 'Chat messages posted or updated', [
    'platform',
    'kind',
  ]);

  readonly #drift = new Gauge({
    name: 'itsm_sync_drifted_pairs',
    help: 'Linked ServiceNow/Jira pairs out of step at the last sync drift check',
    registers: [this.registry],
  });

  readonly contentType = this.registry.contentType;

  constructor(private readonly o: PromMetricsOptions) {
    const gauge = (name: string, help: string, read: (s: Snapshot) => number) => {
      const g: Gauge = new Gauge({
        name,
        help,
        registers: [this.registry],
        collect: async () => g.set(read(await this.#read())),
      });
    };
    gauge('itsm_inbox_pending', 'Accepted alerts not yet correlated', (s) => s.lag.pending);
    gauge('itsm_correlation_lag_seconds', 'Age of the oldest alert not yet correlated', (s) =>
      this.#age(s.lag.oldestReceivedAt),
    );
    const perLane = (name: string, help: string, read: (s: Snapshot['lanes'][number]) => number) => {
      const g: Gauge<'lane'> = new Gauge({
        name,
        help,
        labelNames: ['lane'],
        registers: [this.registry],
        collect: async () => {
          g.reset();
          const rows = (await this.#read()).lanes;
          for (const lane of o.lanes) g.set({ lane }, 0);
          for (const row of rows) g.set({ lane: row.lane }, read(row));
        },
      });
    };
    perLane('itsm_outbox_pending', 'Outbox commands waiting to run, per lane', (r) => r.pending);
    perLane('itsm_outbox_parked', 'Outbox commands parked (need a person), per lane', (r) => r.parked);
    perLane('itsm_outbox_oldest_pending_age_seconds', 'Age of the oldest pending command, per lane', (r) =>
      this.#age(r.oldestPendingAt),
    );
    if (o.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * The ServiceNow poller's hourly request budget, read at scrape time: what is left, and 1 while the
   * poll waits for the budget (the bridge logs the pause once with the time it resumes).
   */
  watchServiceNowPoll(status: () => { budget: { remaining: number; exhaustedUntil: Date | null } }): void {
    new Gauge({
      name: 'itsm_servicenow_poll_budget_remaining',
      help: 'Requests the ServiceNow poller may still send in the rolling hour',
      registers: [this.registry],
      collect() {
        this.set(status().budget.remaining);
      },
    });
    new Gauge({
      name: 'itsm_servicenow_poll_paused',
      help: '1 while the ServiceNow poll waits for its hourly request budget',
      registers: [this.registry],
      collect() {
        this.set(status().budget.exhaustedUntil ? 1 : 0);
      },
    });
  }

  /** The Prometheus text exposition; the store is read once per scrape for all store gauges. */
  async render(): Promise<string> {
    this.#snapshot = null;
    try {
      return await this.registry.metrics();
    } finally {
      this.#snapshot = null;
    }
  }

  syncDrift(pairs: number): void {
    this.#drift.set(pairs);
  }
  webhookAnswered(source: string, httpStatus: number, alerts: number): void {
    this.#webhooks.inc({ source, status: String(httpStatus) });
    if (alerts > 0) this.#accepted.inc({ source }, alerts);
  }
  alertAccepted(source: string, status: string): void {
    this.#alerts.inc({ source, status });
  }
  incidentEvent(type: string): void {
    this.#events.inc({ type });
  }
  incidentOpened(o: { provider: string; priority: number }): void {
    this.#opened.inc({ provider: o.provider, priority: String(o.priority) });
  }
  incidentResolved(o: { by: string }): void {
    this.#resolved.inc({ by: o.by });
  }
  incidentReopened(): void {
    this.#reopened.inc();
  }
  escalation(o: { kind: string }): void {
    this.#escalations.inc({ kind: o.kind });
  }
  remoteCall(o: { system: string; status: string; seconds: number }): void {
    this.#calls.inc({ system: o.system, status: o.status });
    this.#latency.observe({ system: o.system, status: o.status }, o.seconds);
  }
  retryAfterWait(o: { system: string; seconds: number }): void {
    this.#waits.inc({ system: o.system });
    this.#waited.inc({ system: o.system }, o.seconds);
  }
  outboxCommand(o: { lane: string; kind: string; outcome: string }): void {
    this.#commands.inc(o);
  }
  chatMessage(o: { platform: string; kind: string }): void {
    this.#chat.inc(o);
  }

  #counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #read(): Promise<Snapshot> {
    this.#snapshot ??= Promise.all([this.o.store.inbox.lag(), this.o.store.outbox.statsByLane()]).then(
      ([lag, lanes]) => ({ lag, lanes }),
    );
    return this.#snapshot;
  }

  #age(since: string | null): number {
    return since ? Math.max(0, (this.o.clock.now().getTime() - Date.parse(since)) / 1000) : 0;
  }
}
