import type BetterSqlite3 from 'better-sqlite3';
import type { Alert } from '../../../src/core/alert/alert';
import { StoreUnavailableError } from '../../../src/errors';
import type { AlertInbox } from '../../../src/ports/inbox';
import { alertToRow } from '../row-mappers';
import { splitShared } from '../shared-labels';
import type { StatementCache } from './statement-cache';
import type { WriteTurn } from './write-turn';

interface Pending {
  alerts: Alert[];
  requestId: string | null;
  resolve: (ids: number[]) => void;
  reject: (err: Error) => void;
}

/**
 * Ingest with group commit: deliveries that arrive in the same event-loop turn are written in ONE
 * transaction, and each caller's promise resolves only after that COMMIT (so the 202 still means
 * "durable"). A failed commit rejects every caller in the batch and stores none of them. A flush waits
 * while a unit of work holds the connection, so a delivery never joins (or rolls back with) it.
 */
export class GroupCommitInbox implements AlertInbox {
  #queue: Pending[] = [];
  #flushScheduled = false;

  constructor(
    private readonly raw: BetterSqlite3.Database,
    private readonly q: StatementCache,
    /** Where the lag is read (a plain query; not a hot path). */
    private readonly reads: Pick<AlertInbox, 'lag'>,
    /** With the correlation thread writing beside this connection: whose turn it is (see `WriteTurn`). */
    private readonly turn: WriteTurn | null = null,
  ) {}

  accept(alerts: Alert[], o: { requestId?: string | null } = {}): Promise<number[]> {
    if (alerts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ alerts, requestId: o.requestId ?? null, resolve, reject });
      this.#scheduleFlush();
    });
  }

  lag() {
    return this.reads.lag();
  }

  #scheduleFlush() {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Writes what is queued now (also called on close, so nothing accepted waits forever). While the
   * correlation thread writes, the flush is put off until it gives the turn, rather than block the loop:
   * the requests read meanwhile join it. `wait` (close) blocks for the turn.
   */
  flush(o: { wait?: boolean } = {}) {
    this.#flushScheduled = false;
    if (this.raw.inTransaction) return this.#scheduleFlush();
    if (this.#queue.length === 0) return;
    if (this.turn) {
      if (o.wait) this.turn.take('event-loop');
      else if (!this.turn.tryTake()) {
        this.#flushScheduled = true;
        void this.turn.whenGiven().then(() => this.flush());
        return;
      }
    }
    try {
      this.#write(this.#queue.splice(0));
    } finally {
      this.turn?.give('event-loop');
    }
  }

  #write(batch: Pending[]) {
    // Positional parameters: binding 18 named ones per row cost better-sqlite3 a name lookup each.
    const insert = this.q.get(
      `INSERT INTO alerts (source, dedup_key, status, event, severity, host, service, branch, summary, description, labels, annotations, links, starts_at, ends_at, received_at, shared_id, request_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertShared = this.q.get('INSERT INTO alert_shared (labels, annotations) VALUES (?, ?)');
    // Each delivery's shared labels once (not copied into each of its alerts), see migration 005.
    const store = (alerts: Alert[], requestId: string | null): number[] => {
      const { shared, alerts: own } = splitShared(alerts);
      const sharedId = shared
        ? Number(
            insertShared.run(JSON.stringify(shared.labels), JSON.stringify(shared.annotations))
              .lastInsertRowid,
          )
        : null;
      return own.map((a) => {
        const r = alertToRow(a, { sharedId, requestId });
        return Number(
          insert.run(
            r.source,
            r.dedup_key,
            r.status,
            r.event,
            r.severity,
            r.host,
            r.service,
            r.branch,
            r.summary,
            r.description,
            r.labels,
            r.annotations,
            r.links,
            r.starts_at,
            r.ends_at,
            r.received_at,
            r.shared_id,
            r.request_id,
          ).lastInsertRowid,
        );
      });
    };
    let ids: number[][];
    try {
      ids = this.raw.transaction(() => batch.map((p) => store(p.alerts, p.requestId)))();
    } catch (err) {
      // Disk full, locked by another process, I/O error: every sender in the batch must retry (503).
      const e = new StoreUnavailableError(`could not store alerts: ${(err as Error).message}`);
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]!));
  }
}
