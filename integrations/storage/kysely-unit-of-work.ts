import type { Kysely, Transaction } from 'kysely';
import { GENESIS_HASH, auditHash } from '../../src/core/audit/audit-hash';
import type { TimelineEvent } from '../../src/core/incident/timeline-event';
import type { IncidentRecord, UnitOfWork } from '../../src/ports/store';
import type { Database } from './database';
import {
  commandPatchToRow,
  incidentToRow,
  memberToRow,
  rowToAlert,
  rowToCommand,
  rowToIncident,
  rowToMember,
  rowToTimeline,
  ofType,
} from './row-mappers';

/** UnitOfWork over one Kysely transaction (SQLite or PostgreSQL). */
export class KyselyUnitOfWork implements UnitOfWork {
  #chainHead: { seq: number; hash: string } | null = null;

  constructor(private readonly tx: Transaction<Database> | Kysely<Database>) {}

  async pendingAlerts(limit: number) {
    const rows = await this.tx
      .selectFrom('alerts')
      .selectAll()
      .where('processed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(rowToAlert);
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    await this.tx
      .updateTable('alerts')
      .set({ processed_at: at, incident_id: incidentId, decision })
      .where('id', '=', alertId)
      .execute();
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
    const incident = await this.getIncident(row.inc_id);
    return incident ? { incident, member: rowToMember(row) } : null;
  }

  async membersOf(incidentId: number) {
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

  async getIncident(id: number) {
    const row = await this.tx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToIncident(row) : null;
  }

  async insertIncident(incident: Omit<IncidentRecord, 'id'>) {
    const row = await this.tx
      .insertInto('incidents')
      .values(incidentToRow(incident) as Required<ReturnType<typeof incidentToRow>>)
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToIncident(row);
  }

  async updateIncident(id: number, patch: Partial<IncidentRecord>) {
    const row = incidentToRow(patch);
    if (Object.keys(row).length > 0)
      await this.tx.updateTable('incidents').set(row).where('id', '=', id).execute();
  }

  async upsertMember(member: Parameters<UnitOfWork['upsertMember']>[0]) {
    const row = memberToRow(member);
    await this.tx
      .insertInto('incident_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['incident_id', 'dedup_key']).doUpdateSet(row))
      .execute();
  }

  async timelineOfType<T extends TimelineEvent['type']>(incidentId: number, type: T) {
    const rows = await this.tx
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('type', '=', type)
      .orderBy('id')
      .execute();
    return ofType(rows.map(rowToTimeline), type);
  }

  async addTimeline(e: Parameters<UnitOfWork['addTimeline']>[0]) {
    await this.tx
      .insertInto('timeline')
      .values({
        incident_id: e.incidentId,
        at: e.at,
        type: e.type,
        actor: e.actor,
        reason: e.reason,
        alert_id: e.alertId,
        data: JSON.stringify(e.data),
      })
      .execute();
  }

  async audit(e: Parameters<UnitOfWork['audit']>[0]) {
    if (!this.#chainHead) {
      const last = await this.tx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      this.#chainHead = last ?? { seq: 0, hash: GENESIS_HASH };
    }
    const seq = this.#chainHead.seq + 1;
    const data = JSON.stringify(e.data);
    const prevHash = this.#chainHead.hash;
    const hash = auditHash({
      seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      data,
      prevHash,
    });
    await this.tx
      .insertInto('audit_log')
      .values({
        seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subject: e.subject,
        data,
        prev_hash: prevHash,
        hash,
      })
      .execute();
    this.#chainHead = { seq, hash };
  }

  async enqueue(c: Parameters<UnitOfWork['enqueue']>[0]) {
    await this.tx
      .insertInto('outbox')
      .values({
        incident_id: c.incidentId,
        lane: c.lane,
        kind: c.kind,
        payload: JSON.stringify(c.payload),
        state: 'pending',
        attempts: 0,
        not_before: c.notBefore,
        created_at: c.at,
        updated_at: c.at,
      })
      .execute();
  }

  async hasPending(incidentId: number, lane: string, kind: string) {
    const r = await this.tx
      .selectFrom('outbox')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('lane', '=', lane)
      .where('kind', '=', kind)
      .where('state', '=', 'pending')
      .limit(1)
      .executeTakeFirst();
    return !!r;
  }

  async getCommand(id: number) {
    const r = await this.tx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? rowToCommand(r) : null;
  }

  async updateCommand(id: number, patch: Parameters<UnitOfWork['updateCommand']>[1]) {
    await this.tx.updateTable('outbox').set(commandPatchToRow(patch)).where('id', '=', id).execute();
  }

  async dueCommands(lane: string, now: string, limit: number) {
    const rows = await this.tx
      .selectFrom('outbox as o')
      .selectAll('o')
      .where('o.state', '=', 'pending')
      .where('o.lane', '=', lane)
      .where('o.not_before', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox as p')
              .select('p.id')
              .whereRef('p.incident_id', '=', 'o.incident_id')
              .whereRef('p.lane', '=', 'o.lane')
              .whereRef('p.id', '<', 'o.id')
              .where('p.state', 'in', ['pending', 'parked']),
          ),
        ),
      )
      .orderBy('o.id')
      .limit(limit)
      .execute();
    return rows.map(rowToCommand);
  }

  async replayParked(now: string, id?: number) {
    let q = this.tx
      .updateTable('outbox')
      .set({ state: 'pending', not_before: now, updated_at: now })
      .where('state', '=', 'parked');
    if (id !== undefined) q = q.where('id', '=', id);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async incidentsNeedingTick() {
    const rows = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where((eb) => eb.or([eb('state', '=', 'resolving'), eb('flapping', '=', 1)]))
      .execute();
    return rows.map(rowToIncident);
  }

  async setDowntime(
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

  async clearDowntime(scope: string) {
    await this.tx.deleteFrom('downtimes').where('scope', '=', scope).execute();
  }

  async activeDowntime(scopes: string[]) {
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
