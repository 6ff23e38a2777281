import type { Kysely } from 'kysely';
import type {
  Downtimes,
  IncidentPatch,
  IncidentQuery,
  IncidentReads,
  IncidentWrites,
  MemberRecord,
  NewIncident,
} from '../../../src/ports/incidents';
import type { Database } from '../database';
import { incidentToRow, memberToRow, rowToAlert, rowToIncident, rowToMember } from '../row-mappers';
import { selectAlerts } from './select-alerts';

const getIncident = async (db: Kysely<Database>, id: number, lock = false) => {
  const row = await db
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
  return row ? rowToIncident(row) : null;
};

/** Incidents as the API, chat and reports read them. */
export class KyselyIncidentReads implements IncidentReads {
  constructor(private readonly db: Kysely<Database>) {}

  async list(q: IncidentQuery) {
    let query = this.db.selectFrom('incidents').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.state === 'open') query = query.where('state', '<>', 'resolved');
    if (q.state === 'resolved') query = query.where('state', '=', 'resolved');
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    return (await query.execute()).map(rowToIncident);
  }

  get(id: number) {
    return getIncident(this.db, id);
  }

  async members(incidentId: number) {
    const rows = await this.db
      .selectFrom('incident_alerts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('first_seen_at')
      .execute();
    return rows.map(rowToMember);
  }

  async alerts(incidentId: number, limit: number) {
    const rows = await selectAlerts(this.db)
      .where('alerts.incident_id', '=', incidentId)
      .orderBy('alerts.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToAlert);
  }

  async findByTicket(ref: string) {
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
}

/**
 * Incidents and their members inside one Kysely transaction. With `lockRows` (PostgreSQL, where units
 * of work run concurrently) an open incident read here is locked until the commit, so two units of work
 * changing the same incident (correlation, a chat action, a finished ticket command) take turns instead
 * of one overwriting the other; SQLite serialises whole transactions and needs no row locks.
 */
export class KyselyIncidentWrites implements IncidentWrites {
  readonly #lock: boolean;

  constructor(
    private readonly tx: Kysely<Database>,
    opts: { lockRows?: boolean } = {},
  ) {
    this.#lock = opts.lockRows ?? false;
  }

  get(id: number) {
    return getIncident(this.tx, id, this.#lock);
  }

  async findOpenByKey(dedupKey: string) {
    const row = await this.tx
      .selectFrom('incident_alerts as m')
      .innerJoin('incidents as i', 'i.id', 'm.incident_id')
      .selectAll('m')
      .select('i.id as inc_id')
      .where('m.dedup_key', '=', dedupKey)
      .where('i.state', '<>', 'resolved')
      .orderBy('i.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    const incident = await this.get(row.inc_id);
    return incident ? { incident, member: rowToMember(row) } : null;
  }

  async members(incidentId: number) {
    const rows = await this.tx
      .selectFrom('incident_alerts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .execute();
    return rows.map(rowToMember);
  }

  async findOpenByGroup(groupKey: string) {
    const row = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where('state', '<>', 'resolved')
      .$if(this.#lock, (q) => q.forUpdate())
      .executeTakeFirst();
    return row ? rowToIncident(row) : null;
  }

  async findLastResolved(groupKey: string) {
    const row = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where('state', '=', 'resolved')
      .orderBy('resolved_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? rowToIncident(row) : null;
  }

  async insert(incident: NewIncident) {
    const row = await this.tx
      .insertInto('incidents')
      .values(incidentToRow(incident) as Required<ReturnType<typeof incidentToRow>>)
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToIncident(row);
  }

  async update(id: number, patch: IncidentPatch) {
    const row = incidentToRow(patch);
    if (Object.keys(row).length > 0)
      await this.tx.updateTable('incidents').set(row).where('id', '=', id).execute();
  }

  async upsertMember(member: MemberRecord) {
    const row = memberToRow(member);
    await this.tx
      .insertInto('incident_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['incident_id', 'dedup_key']).doUpdateSet(row))
      .execute();
  }

  async needingTick() {
    const rows = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => eb.or([eb('state', '=', 'resolving'), eb('flapping', '=', 1)]))
      .execute();
    return rows.map(rowToIncident);
  }
}

/** Downtimes inside one Kysely transaction. */
export class KyselyDowntimes implements Downtimes {
  constructor(private readonly tx: Kysely<Database>) {}

  async set(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ) {
    const row = { scope, source: d.source, started_at: d.startedAt, author: d.author, comment: d.comment };
    await this.tx
      .insertInto('downtimes')
      .values(row)
      .onConflict((oc) => oc.column('scope').doUpdateSet(row))
      .execute();
  }

  async clear(scope: string) {
    await this.tx.deleteFrom('downtimes').where('scope', '=', scope).execute();
  }

  async active(scopes: string[]) {
    if (scopes.length === 0) return null;
    const row = await this.tx
      .selectFrom('downtimes')
      .select('scope')
      .where('scope', 'in', scopes)
      .limit(1)
      .executeTakeFirst();
    return row?.scope ?? null;
  }
}
