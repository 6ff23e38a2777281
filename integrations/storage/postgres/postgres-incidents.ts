import { sql, type Kysely, type Selectable } from 'kysely';
import type {
  IncidentPatch,
  IncidentRecord,
  IncidentWrites,
  MemberRecord,
  NewIncident,
} from '../../../src/ports/incidents';
import type { Database, IncidentAlertsTable, IncidentsTable } from '../database';
import { incidentToRow, memberToRow, rowToIncident, rowToMember } from '../row-mappers';
import { KyselyIncidentWrites } from '../kysely/incidents';
import { insertRows, updateRows, type WriteBehind } from './write-behind';

type IncidentRow = Selectable<IncidentsTable>;
type Found = { incidentId: number; member: MemberRecord };

const MEMBER_KEY = ['incident_id', 'dedup_key'];
/** What an upsert of a member changes (all but its key). */
const MEMBER_UPDATE = [
  'status',
  'severity',
  'host',
  'service',
  'summary',
  'first_seen_at',
  'last_seen_at',
  'last_change_at',
  'occurrences',
  'flap_changes',
] satisfies (keyof IncidentAlertsTable)[];

/**
 * Incidents and members on PostgreSQL inside one unit of work, with as few round trips as the work
 * allows. Every incident row read here is locked (`FOR UPDATE`) until the commit, so the unit of work
 * keeps it: later reads of it are answered from memory, and its updates are applied to the kept row and
 * written once, at the flush, as one statement for all changed incidents; member upserts likewise.
 *
 * Inside the correlation lock the batch's dedup keys are looked up once (`prefetch`): only correlation
 * adds members or reopens incidents, and it runs one batch at a time, so what the look-up found (or did
 * not find) stays true for the batch, apart from this unit of work's own writes, which update it.
 */
export class PostgresIncidentWrites implements IncidentWrites {
  /** Locked rows as this unit of work sees them (its own updates applied). */
  readonly #rows = new Map<number, IncidentRow>();
  /** Columns of kept rows updated since the last flush. */
  readonly #dirty = new Map<number, Set<string>>();
  /** Member upserts since the last flush, by incident and dedup key (the last one wins). */
  readonly #members = new Map<string, IncidentAlertsTable>();
  /** The batch's dedup keys → the open incident holding them (null: none); only inside the lock. */
  #byKey: Map<string, Found | null> | null = null;
  /** Group keys found without an open incident; only inside the lock. */
  readonly #noOpenGroup = new Set<string>();
  /** The last resolved incident of prefetched groups without an open one (null: none). */
  readonly #lastResolved = new Map<string, IncidentRecord | null>();

  /** The reads that lock nothing, as every backend runs them. */
  readonly #unlocked: KyselyIncidentWrites;

  constructor(
    private readonly tx: Kysely<Database>,
    private readonly writes: WriteBehind,
  ) {
    this.#unlocked = new KyselyIncidentWrites(tx);
    writes.add(() => this.#flush());
  }

  #keep(row: IncidentRow | undefined): IncidentRecord | null {
    if (!row) return null;
    this.#rows.set(row.id, row);
    return rowToIncident(row);
  }

  /**
   * Looks up and locks the open incidents holding these dedup keys, in one statement. Called by the
   * correlation batch inside its lock; the answers hold for the rest of the batch.
   */
  async prefetch(dedupKeys: readonly string[]): Promise<void> {
    const keys = [...new Set(dedupKeys)];
    const { rows } = await sql<IncidentRow & { m: IncidentAlertsTable }>`
      SELECT to_jsonb(m) AS m, i.* FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id
      WHERE m.dedup_key = ANY(${keys}) AND i.state <> 'resolved'
      FOR UPDATE OF i`.execute(this.tx);
    const byKey = new Map<string, Found | null>(keys.map((k) => [k, null]));
    for (const { m, ...incident } of rows) {
      // Locked after a wait, the row may have been resolved meanwhile: not found, ask again later.
      if (incident.state === 'resolved') {
        byKey.delete(m.dedup_key);
        continue;
      }
      this.#rows.set(incident.id, incident);
      const best = byKey.get(m.dedup_key);
      // The newest open incident holding the key, as findOpenByKey orders them.
      if (byKey.has(m.dedup_key) && (!best || best.incidentId < incident.id))
        byKey.set(m.dedup_key, { incidentId: incident.id, member: rowToMember(m) });
    }
    this.#byKey = byKey;
  }

  /**
   * Looks up and locks the open incidents of these groups, and the last resolved one of each group
   * without one, in two statements. Only inside the correlation lock (after `prefetch`), where nobody
   * else opens, reopens or resolves (the open ones are locked) an incident of these groups.
   */
  async prefetchGroups(groupKeys: readonly string[]): Promise<void> {
    if (!this.#byKey) return;
    const kept = new Set([...this.#rows.values()].map((r) => r.group_key));
    const wanted = [...new Set(groupKeys)].filter((g) => !kept.has(g) && !this.#noOpenGroup.has(g));
    if (wanted.length === 0) return;
    const open = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', sql<string>`ANY(${wanted})`)
      .where('state', '<>', 'resolved')
      .forUpdate()
      .execute();
    for (const row of open) this.#keep(row);
    const found = new Set(open.map((r) => r.group_key));
    const without = wanted.filter((g) => !found.has(g));
    for (const g of without) this.#noOpenGroup.add(g);
    if (without.length === 0) return;
    const { rows } = await sql<IncidentRow>`
      SELECT DISTINCT ON (group_key) * FROM incidents WHERE group_key = ANY(${without}) AND state = 'resolved'
      ORDER BY group_key, resolved_at DESC`.execute(this.tx);
    for (const g of without) this.#lastResolved.set(g, null);
    for (const row of rows) this.#lastResolved.set(row.group_key, rowToIncident(row));
  }

  async get(id: number) {
    const kept = this.#rows.get(id);
    if (kept) return rowToIncident(kept);
    // Every changed row is kept, so nothing buffered changes this one.
    return this.#keep(
      await this.tx.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst(),
    );
  }

  async findOpenByKey(dedupKey: string) {
    if (this.#byKey?.has(dedupKey)) {
      const found = this.#byKey.get(dedupKey);
      if (!found) return null;
      const row = this.#rows.get(found.incidentId);
      if (row && row.state !== 'resolved') return { incident: rowToIncident(row), member: found.member };
    }
    await this.writes.flush();
    const { rows } = await sql<IncidentRow & { m: IncidentAlertsTable }>`
      SELECT to_jsonb(m) AS m, i.* FROM incident_alerts m JOIN incidents i ON i.id = m.incident_id
      WHERE m.dedup_key = ${dedupKey} AND i.state <> 'resolved'
      ORDER BY i.id DESC LIMIT 1 FOR UPDATE OF i`.execute(this.tx);
    const [hit] = rows;
    if (!hit) return null;
    const { m, ...incident } = hit;
    return { incident: this.#keep(incident)!, member: rowToMember(m) };
  }

  async members(incidentId: number) {
    await this.writes.flush();
    return this.#unlocked.members(incidentId);
  }

  async findOpenByGroup(groupKey: string) {
    // Every row this unit of work changed is kept, so the kept rows answer for those; the database for
    // the rest (a row it returns that is kept here is taken as kept).
    for (const row of this.#rows.values())
      if (row.group_key === groupKey && row.state !== 'resolved') return rowToIncident(row);
    if (this.#byKey && this.#noOpenGroup.has(groupKey)) return null;
    const row = await this.tx
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where('state', '<>', 'resolved')
      .forUpdate()
      .executeTakeFirst();
    if (!row) {
      // Inside the correlation lock nobody else opens or reopens an incident until the commit.
      if (this.#byKey) this.#noOpenGroup.add(groupKey);
      return null;
    }
    if (this.#rows.has(row.id)) return null;
    return this.#keep(row);
  }

  async findLastResolved(groupKey: string) {
    const known = this.#lastResolved.get(groupKey);
    if (known !== undefined && !this.#rows.has(known?.id ?? -1)) return known;
    await this.#flushGroup(groupKey);
    // Not locked (as on every backend): a reopen locks it with `get`.
    return this.#unlocked.findLastResolved(groupKey);
  }

  async insert(incident: NewIncident) {
    // A resolve of this group not yet written would make the new open incident a duplicate.
    await this.#flushGroup(incident.groupKey);
    const row = await this.tx
      .insertInto('incidents')
      .values(incidentToRow(incident) as Required<ReturnType<typeof incidentToRow>>)
      .returningAll()
      .executeTakeFirstOrThrow();
    this.#noOpenGroup.delete(incident.groupKey);
    this.#lastResolved.delete(incident.groupKey);
    return this.#keep(row)!;
  }

  async update(id: number, patch: IncidentPatch) {
    const row = incidentToRow(patch);
    const columns = Object.keys(row);
    if (columns.length === 0) return;
    const kept = this.#rows.get(id);
    if (!kept) {
      await this.tx.updateTable('incidents').set(row).where('id', '=', id).execute();
      return;
    }
    // Each column is kept as the type it is read back as, so the kept row is the row a read would return.
    this.#rows.set(id, { ...kept, ...row });
    const dirty = this.#dirty.get(id) ?? new Set<string>();
    for (const c of columns) dirty.add(c);
    this.#dirty.set(id, dirty);
  }

  async upsertMember(member: MemberRecord) {
    this.#members.set(`${member.incidentId}\u0000${member.dedupKey}`, memberToRow(member));
    if (!this.#byKey) return;
    const found = this.#byKey.get(member.dedupKey);
    const row = this.#rows.get(member.incidentId);
    if (row && row.state !== 'resolved') {
      if (!found || found.incidentId <= member.incidentId)
        this.#byKey.set(member.dedupKey, { incidentId: member.incidentId, member });
    } else this.#byKey.delete(member.dedupKey);
  }

  async needingTick() {
    await this.writes.flush();
    return this.#unlocked.needingTick();
  }

  /** Writes the buffered changes if one of them is to an incident of this group. */
  async #flushGroup(groupKey: string): Promise<void> {
    if ([...this.#dirty.keys()].some((id) => this.#rows.get(id)?.group_key === groupKey)) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#dirty.size > 0) {
      const columns = [...new Set([...this.#dirty.values()].flatMap((s) => [...s]))];
      const rows = [...this.#dirty.keys()].map((id) => {
        const kept = this.#rows.get(id)! as unknown as Record<string, unknown>;
        return Object.fromEntries([['id', id], ...columns.map((c) => [c, kept[c]])]);
      });
      this.#dirty.clear();
      await updateRows(this.tx, 'incidents', columns, rows);
    }
    if (this.#members.size > 0) {
      const rows = [...this.#members.values()];
      this.#members.clear();
      await insertRows(this.tx, 'incident_alerts', rows, {
        key: MEMBER_KEY,
        update: MEMBER_UPDATE,
      });
    }
  }
}
