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

  async firstSeen(key: string, at: string, forgetBefore: string) {
    const inserted = await this.db
      .insertInto('chat_seen')
      .values({ key, at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Math.random() < 0.01) await this.db.deleteFrom('chat_seen').where('at', '<', forgetBefore).execute();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async hasSeen(key: string) {
    return !!(await this.db.selectFrom('chat_seen').select('key').where('key', '=', key).executeTakeFirst());
  }

  async saveConversation(c: {
    id: string;
    platform: string;
    name: string | null;
    reference: unknown;
    at: string;
  }) {
    const row = {
      id: c.id,
      platform: c.platform,
      name: c.name,
      reference: JSON.stringify(c.reference),
      updated_at: c.at,
    };
    await this.db
      .insertInto('chat_conversations')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: row.name, reference: row.reference, updated_at: row.updated_at }),
      )
      .execute();
  }

  async getConversation(id: string) {
    const r = await this.db
      .selectFrom('chat_conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? { id: r.id, name: r.name, reference: JSON.parse(r.reference) as unknown } : null;
  }

  async findIncidentByTicket(ref: string) {
    const wanted = ref.trim().toUpperCase();
    if (!/^[A-Z0-9_-]+$/.test(wanted)) return null;
    // The tickets column is JSON text; a LIKE narrows it down portably (SQLite and PostgreSQL), the
    // parsed value decides.
    const rows = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('tickets', 'like', `%"${wanted}"%`)
      .orderBy('id', 'desc')
      .limit(20)
      .execute();
    return (
      rows
        .map(rowToIncident)
        .find((i) => i.tickets.servicenow?.number === wanted || i.tickets.jira?.key === wanted) ?? null
    );
  }

  async ping() {
    await this.db.selectFrom('incidents').select('id').limit(1).execute();
  }

  async close() {
    await this.db.destroy();
  }
}
