import type {
  Downtimes,
  IncidentPatch,
  IncidentRecord,
  IncidentWrites,
  MemberRecord,
  NewIncident,
} from '../../../src/ports/incidents';
import { incidentToRow, memberToRow, rowToIncident, rowToMember } from '../row-mappers';
import { named, type Row, type StatementCache } from './statement-cache';

/**
 * Incidents and members on prepared statements (the correlation hot path). One instance lives for one
 * unit of work, and within it every write to `incidents` goes through this object: it keeps the rows
 * it has read or written (by id), so the alerts of a batch that hit one incident read its row once.
 * An insert keeps the row `RETURNING *` gives; an update applies the values it wrote to the kept row.
 */
export class SqliteIncidentWrites implements IncidentWrites {
  readonly #rows = new Map<number, Row<'incidents'>>();

  constructor(private readonly q: StatementCache) {}

  #keep(r: Row<'incidents'> | undefined): IncidentRecord | null {
    if (!r) return null;
    this.#rows.set(r.id, r);
    return rowToIncident(r);
  }

  async get(id: number) {
    const kept = this.#rows.get(id);
    if (kept) return rowToIncident(kept);
    return this.#keep(this.q.get<Row<'incidents'>>('SELECT * FROM incidents WHERE id = ?').get(id));
  }

  async findOpenByKey(dedupKey: string) {
    const m = this.q
      .get<Row<'incident_alerts'>>(
        `SELECT m.* FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id
         WHERE m.dedup_key = ? AND i.state <> 'resolved' ORDER BY i.id DESC LIMIT 1`,
      )
      .get(dedupKey);
    if (!m) return null;
    const member = rowToMember(m);
    const incident = await this.get(member.incidentId);
    return incident ? { incident, member } : null;
  }

  async members(incidentId: number) {
    return this.q
      .get<Row<'incident_alerts'>>('SELECT * FROM incident_alerts WHERE incident_id = ?')
      .all(incidentId)
      .map(rowToMember);
  }

  async findOpenByGroup(groupKey: string) {
    return this.#keep(
      this.q
        .get<Row<'incidents'>>("SELECT * FROM incidents WHERE group_key = ? AND state <> 'resolved'")
        .get(groupKey),
    );
  }

  async findLastResolved(groupKey: string) {
    return this.#keep(
      this.q
        .get<Row<'incidents'>>(
          "SELECT * FROM incidents WHERE group_key = ? AND state = 'resolved' ORDER BY resolved_at DESC LIMIT 1",
        )
        .get(groupKey),
    );
  }

  async insert(incident: NewIncident): Promise<IncidentRecord> {
    const row = incidentToRow(incident);
    const cols = Object.keys(row);
    const r = this.q
      .get<Row<'incidents'>>(`INSERT INTO incidents (${cols.join(', ')}) VALUES (${named(cols)}) RETURNING *`)
      .get(row);
    const inserted = this.#keep(r);
    if (!inserted) throw new Error('INSERT … RETURNING returned no row');
    return inserted;
  }

  async update(id: number, patch: IncidentPatch) {
    const row = incidentToRow(patch);
    const cols = Object.keys(row);
    if (cols.length === 0) return;
    this.q
      .get(`UPDATE incidents SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...row, __id: id });
    // Each column is written as the type it is read back as (text, integer, null), so the kept row with
    // the written values on top is the row a read would return.
    const kept = this.#rows.get(id);
    if (kept) this.#rows.set(id, { ...kept, ...row });
  }

  async upsertMember(member: MemberRecord) {
    const row = memberToRow(member);
    const cols = Object.keys(row);
    const set = cols
      .filter((c) => c !== 'incident_id' && c !== 'dedup_key')
      .map((c) => `${c} = excluded.${c}`);
    this.q
      .get(
        `INSERT INTO incident_alerts (${cols.join(', ')}) VALUES (${named(cols)}) ON CONFLICT (incident_id, dedup_key) DO UPDATE SET ${set.join(', ')}`,
      )
      .run(row);
  }

  async needingTick() {
    return this.q
      .get<Row<'incidents'>>("SELECT * FROM incidents WHERE state = 'resolving' OR flapping = 1")
      .all()
      .map((r) => this.#keep(r)!);
  }
}

/** Downtimes on prepared statements. */
export class SqliteDowntimes implements Downtimes {
  constructor(private readonly q: StatementCache) {}

  async set(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ) {
    this.q
      .get(
        'INSERT INTO downtimes (scope, source, started_at, author, comment) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET source = excluded.source, started_at = excluded.started_at, author = excluded.author, comment = excluded.comment',
      )
      .run(scope, d.source, d.startedAt, d.author, d.comment);
  }

  async clear(scope: string) {
    this.q.get('DELETE FROM downtimes WHERE scope = ?').run(scope);
  }

  async active(scopes: string[]) {
    if (scopes.length === 0) return null;
    const r = this.q
      .get<{ scope: string }>(
        `SELECT scope FROM downtimes WHERE scope IN (${scopes.map(() => '?').join(', ')}) LIMIT 1`,
      )
      .get(...scopes);
    return r?.scope ?? null;
  }
}
