import { Migrator, type Kysely } from 'kysely';
import type { Alert } from '../../src/core/alert/alert';
import { StoreUnavailableError } from '../../src/errors';
import type { AuditEntry, IncidentQuery, Store, UnitOfWork } from '../../src/ports/store';
import type { Database } from './database';
import { KyselyUnitOfWork } from './kysely-unit-of-work';
import { migrationProvider } from './migrations';
import {
  alertToRow,
  rowToAlert,
  rowToCommand,
  rowToIncident,
  rowToMember,
  rowToTimeline,
} from './row-mappers';

/** Store over Kysely; the dialect (SQLite or PostgreSQL) is chosen by the caller. */
export class KyselyStore implements Store {
  constructor(readonly db: Kysely<Database>) {}

  /** Applies pending migrations; refuses to start on a failed one. */
  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({
      db: this.db,
      provider: migrationProvider,
    }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }

  async acceptAlerts(alerts: Alert[]): Promise<number[]> {
    if (alerts.length === 0) return [];
    try {
      const rows = await this.db
        .insertInto('alerts')
        .values(alerts.map(alertToRow))
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    } catch (err) {
      // Disk full, locked database, I/O error: the sender must retry, so this becomes a 503.
      throw new StoreUnavailableError(`could not store alerts: ${(err as Error).message}`);
    }
  }

  unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((tx) => fn(new KyselyUnitOfWork(tx)));
  }

  async listIncidents(q: IncidentQuery) {
    let query = this.db.selectFrom('incidents').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.state === 'open') query = query.where('state', '<>', 'resolved');
    if (q.state === 'resolved') query = query.where('state', '=', 'resolved');
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    return (await query.execute()).map(rowToIncident);
  }

  async getIncident(id: number) {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToIncident(row) : null;
  }

  async membersOf(incidentId: number) {
    const rows = await this.db
      .selectFrom('incident_alerts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('first_seen_at')
      .execute();
    return rows.map(rowToMember);
  }

  async alertsOf(incidentId: number, limit: number) {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToAlert);
  }

  async timelineOf(incidentId: number, limit: number) {
    const rows = await this.db
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(rowToTimeline);
  }

  async *auditEntries(fromSeq = 1): AsyncIterable<AuditEntry> {
    const page = 1000;
    for (let next = fromSeq; ;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(page)
        .execute();
      for (const r of rows) {
        yield {
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          data: JSON.parse(r.data),
          prevHash: r.prev_hash,
          hash: r.hash,
        };
      }
      if (rows.length < page) return;
      next = rows[rows.length - 1]!.seq + 1;
    }
  }

  async outboxStats() {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('state', '=', 'pending').then(1).else(0).end()).as('pending'),
        eb.fn.sum<number>(eb.case().when('state', '=', 'parked').then(1).else(0).end()).as('parked'),
        eb.fn.min(eb.case().when('state', '=', 'pending').then(eb.ref('created_at')).end()).as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    return {
      pending: Number(row.pending ?? 0),
      parked: Number(row.parked ?? 0),
      oldestPendingAt: (row.oldest as string | null) ?? null,
    };
  }

  async commandsOf(incidentId: number) {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return rows.map(rowToCommand);
  }

  async inboxLag() {
    const row = await this.db
      .selectFrom('alerts')
      .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('received_at').as('oldest')])
      .where('processed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), oldestReceivedAt: (row.oldest as string | null) ?? null };
  }

  async ping() {
    await this.db.selectFrom('incidents').select('id').limit(1).execute();
  }

  async close() {
    await this.db.destroy();
  }
}
