import type BetterSqlite3 from 'better-sqlite3';
import { GENESIS_HASH, auditHash } from '../../../src/core/audit/audit-hash';
import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
import type {
  CommandKind,
  IncidentRecord,
  Lane,
  MemberRecord,
  NewIncident,
  UnitOfWork,
} from '../../../src/ports/store';
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
} from '../row-mappers';

/** Prepared statements are compiled once per connection; SQLite then only binds and steps. */
export class StatementCache {
  #cache = new Map<string, BetterSqlite3.Statement>();
  constructor(private readonly db: BetterSqlite3.Database) {}
  get(sql: string): BetterSqlite3.Statement {
    let s = this.#cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.#cache.set(sql, s);
    }
    return s;
  }
}

/**
 * The SQLite UnitOfWork: the same contract as the Kysely one, on cached prepared statements (measured
 * 6× cheaper per query than building each query with Kysely; see README "Store"). Every method runs
 * synchronously and returns a settled promise, so a transaction never yields to other I/O.
 */
export class SqliteUnitOfWork implements UnitOfWork {
  #chainHead: { seq: number; hash: string } | null = null;

  constructor(private readonly q: StatementCache) {}

  async pendingAlerts(limit: number) {
    return (
      this.q.get('SELECT * FROM alerts WHERE processed_at IS NULL ORDER BY id LIMIT ?').all(limit) as never[]
    ).map(rowToAlert);
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    this.q
      .get('UPDATE alerts SET processed_at = ?, incident_id = ?, decision = ? WHERE id = ?')
      .run(at, incidentId, decision, alertId);
  }

  async findOpenByKey(dedupKey: string) {
    const m = this.q
      .get(
        `SELECT m.* FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id
         WHERE m.dedup_key = ? AND i.state <> 'resolved' ORDER BY i.id DESC LIMIT 1`,
      )
      .get(dedupKey) as never;
    if (!m) return null;
    const member = rowToMember(m);
    const incident = await this.getIncident(member.incidentId);
    return incident ? { incident, member } : null;
  }

  async membersOf(incidentId: number) {
    return (this.q.get('SELECT * FROM incident_alerts WHERE incident_id = ?').all(incidentId) as never[]).map(
      rowToMember,
    );
  }

  async findOpenByGroup(groupKey: string) {
    const r = this.q
      .get("SELECT * FROM incidents WHERE group_key = ? AND state <> 'resolved'")
      .get(groupKey) as never;
    return r ? rowToIncident(r) : null;
  }

  async findLastResolved(groupKey: string) {
    const r = this.q
      .get(
        "SELECT * FROM incidents WHERE group_key = ? AND state = 'resolved' ORDER BY resolved_at DESC LIMIT 1",
      )
      .get(groupKey) as never;
    return r ? rowToIncident(r) : null;
  }

  async getIncident(id: number) {
    const r = this.q.get('SELECT * FROM incidents WHERE id = ?').get(id) as never;
    return r ? rowToIncident(r) : null;
  }

  async insertIncident(incident: NewIncident): Promise<IncidentRecord> {
    const row = incidentToRow(incident);
    const cols = Object.keys(row);
    const r = this.q
      .get(
        `INSERT INTO incidents (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) RETURNING *`,
      )
      .get(row) as never;
    return rowToIncident(r);
  }

  async updateIncident(id: number, patch: Partial<IncidentRecord>) {
    const row = incidentToRow(patch);
    const cols = Object.keys(row);
    if (cols.length === 0) return;
    this.q
      .get(`UPDATE incidents SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...row, __id: id });
  }

  async upsertMember(member: MemberRecord) {
    const row = memberToRow(member);
    const cols = Object.keys(row);
    const set = cols
      .filter((c) => c !== 'incident_id' && c !== 'dedup_key')
      .map((c) => `${c} = excluded.${c}`);
    this.q
      .get(
        `INSERT INTO incident_alerts (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')}) ON CONFLICT (incident_id, dedup_key) DO UPDATE SET ${set.join(', ')}`,
      )
      .run(row);
  }

  async addTimeline(e: Parameters<UnitOfWork['addTimeline']>[0]) {
    this.q
      .get(
        'INSERT INTO timeline (incident_id, at, type, actor, reason, alert_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.incidentId, e.at, e.type, e.actor, e.reason, e.alertId, JSON.stringify(e.data));
  }

  async timelineOfType<T extends TimelineEvent['type']>(incidentId: number, type: T) {
    return ofType(
      (
        this.q
          .get('SELECT * FROM timeline WHERE incident_id = ? AND type = ? ORDER BY id')
          .all(incidentId, type) as never[]
      ).map(rowToTimeline),
      type,
    );
  }

  async audit(e: Parameters<UnitOfWork['audit']>[0]) {
    this.#chainHead ??= (this.q.get('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
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
    this.q
      .get(
        'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(seq, e.at, e.actor, e.action, e.subject, data, prevHash, hash);
    this.#chainHead = { seq, hash };
  }

  async enqueue(c: Parameters<UnitOfWork['enqueue']>[0]) {
    this.q
      .get(
        `INSERT INTO outbox (incident_id, lane, kind, payload, state, attempts, not_before, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
      )
      .run(c.incidentId, c.lane, c.kind, JSON.stringify(c.payload), c.notBefore, c.at, c.at);
  }

  async hasPending(incidentId: number, lane: Lane, kind: CommandKind) {
    return !!this.q
      .get(
        "SELECT 1 FROM outbox WHERE incident_id = ? AND lane = ? AND kind = ? AND state = 'pending' LIMIT 1",
      )
      .get(incidentId, lane, kind);
  }

  async getCommand(id: number) {
    const r = this.q.get('SELECT * FROM outbox WHERE id = ?').get(id) as never;
    return r ? rowToCommand(r) : null;
  }

  async updateCommand(id: number, patch: Parameters<UnitOfWork['updateCommand']>[1]) {
    const row = commandPatchToRow(patch);
    const cols = Object.keys(row);
    this.q
      .get(`UPDATE outbox SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...row, __id: id });
  }

  async dueCommands(lane: Lane, now: string, limit: number) {
    const rows = this.q
      .get(
        `SELECT o.* FROM outbox o WHERE o.state = 'pending' AND o.lane = ? AND o.not_before <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.incident_id = o.incident_id AND p.lane = o.lane AND p.id < o.id AND p.state IN ('pending', 'parked'))
         ORDER BY o.id LIMIT ?`,
      )
      .all(lane, now, limit) as never[];
    return rows.map(rowToCommand);
  }

  async replayParked(now: string, id?: number) {
    const r =
      id === undefined
        ? this.q
            .get("UPDATE outbox SET state = 'pending', not_before = ?, updated_at = ? WHERE state = 'parked'")
            .run(now, now)
        : this.q
            .get(
              "UPDATE outbox SET state = 'pending', not_before = ?, updated_at = ? WHERE state = 'parked' AND id = ?",
            )
            .run(now, now, id);
    return r.changes;
  }

  async incidentsNeedingTick() {
    return (
      this.q.get("SELECT * FROM incidents WHERE state = 'resolving' OR flapping = 1").all() as never[]
    ).map(rowToIncident);
  }

  async setDowntime(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ) {
    this.q
      .get(
        'INSERT INTO downtimes (scope, source, started_at, author, comment) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET source = excluded.source, started_at = excluded.started_at, author = excluded.author, comment = excluded.comment',
      )
      .run(scope, d.source, d.startedAt, d.author, d.comment);
  }

  async clearDowntime(scope: string) {
    this.q.get('DELETE FROM downtimes WHERE scope = ?').run(scope);
  }

  async activeDowntime(scopes: string[]) {
    if (scopes.length === 0) return null;
    const r = this.q
      .get(`SELECT scope FROM downtimes WHERE scope IN (${scopes.map(() => '?').join(', ')}) LIMIT 1`)
      .get(...scopes) as { scope: string } | undefined;
    return r?.scope ?? null;
  }
}
