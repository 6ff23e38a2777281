import type { Kysely } from 'kysely';
import type { CommandKind, Lane } from '../../../src/core/outbox/outbox-command';
import type {
  ClaimedPatch,
  Lease,
  NewCommand,
  OutboxQueue,
  OutboxReads,
  OutboxStats,
} from '../../../src/ports/outbox';
import type { Database } from '../database';
import { commandPatchToRow, rowToClaimedCommand, rowToCommand } from '../row-mappers';

/**
 * The transactional outbox inside one Kysely transaction. `skipLocked` (PostgreSQL) claims with
 * FOR UPDATE SKIP LOCKED; SQLite has no row locks and serialises writing transactions instead.
 */
export class KyselyOutboxQueue implements OutboxQueue {
  readonly #skipLocked: boolean;
  /**
   * The (incident, lane, kind) of pending, unclaimed commands this transaction queued or found (and on
   * PostgreSQL locked): they stay so until it commits, because no claim can see or take them before, so
   * `hasPending` answers from here. Correlating a batch asks for every alert that changes an incident,
   * a statement each on PostgreSQL; now once per incident and lane. Cleared by `update` and `claim`,
   * which may end one.
   */
  readonly #known = new Set<string>();

  constructor(
    private readonly tx: Kysely<Database>,
    opts: { skipLocked?: boolean } = {},
  ) {
    this.#skipLocked = opts.skipLocked ?? false;
  }

  async enqueue(c: NewCommand) {
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
        request_id: c.requestId ?? null,
      })
      .execute();
    this.#known.add(knownKey(c.incidentId, c.lane, c.kind));
  }

  async hasPending(incidentId: number, lane: Lane, kind: CommandKind) {
    const key = knownKey(incidentId, lane, kind);
    if (this.#known.has(key)) return true;
    const found = !!(await this.#pendingOf(incidentId, lane, kind).limit(1).executeTakeFirst());
    if (found) this.#known.add(key);
    return found;
  }

  /**
   * Pending, unclaimed commands of this kind for the incident and lane, oldest first. A claimed command
   * is in flight and may have read the incident already: it absorbs nothing more. On PostgreSQL the rows
   * are locked (`FOR UPDATE`): a claim being committed beside this transaction is waited for and then
   * rules its row out, and a row this transaction found is skipped by claims (SKIP LOCKED) until it
   * commits. Without the lock, a chat redraw claimed at that moment read the incident before this
   * transaction's change and this transaction counted on it to show the change: the Teams card kept
   * "ticket pending" after the ServiceNow number was stored (CI's PostgreSQL run).
   */
  #pendingOf(incidentId: number, lane: Lane, kind: CommandKind) {
    const q = this.tx
      .selectFrom('outbox')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('lane', '=', lane)
      .where('kind', '=', kind)
      .where('state', '=', 'pending')
      .where('claimed_by', 'is', null)
      .orderBy('id');
    return this.#skipLocked ? q.forUpdate() : q;
  }

  async pending(incidentId: number, lane: Lane, kind: CommandKind) {
    const r = await this.#pendingOf(incidentId, lane, kind).limit(1).executeTakeFirst();
    return r ? rowToCommand(r) : null;
  }

  async pendingAll(incidentId: number, lane: Lane, kind: CommandKind) {
    return (await this.#pendingOf(incidentId, lane, kind).execute()).map(rowToCommand);
  }

  async get(id: number) {
    const r = await this.tx.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? rowToCommand(r) : null;
  }

  async update(id: number, patch: Parameters<OutboxQueue['update']>[1]) {
    this.#known.clear();
    await this.tx.updateTable('outbox').set(commandPatchToRow(patch)).where('id', '=', id).execute();
  }

  async due(lane: Lane, now: string, limit: number) {
    const rows = await this.#firstInLine(lane, now).limit(limit).execute();
    return rows.map(rowToCommand);
  }

  async claim(lane: Lane, now: string, limit: number, lease: Lease) {
    this.#known.clear();
    if (limit <= 0) return [];
    const free = await this.#firstInLine(lane, now)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<=', now)]))
      .select('o.id')
      .limit(limit)
      .$if(this.#skipLocked, (q) => q.forUpdate('o').skipLocked())
      .execute();
    if (free.length === 0) return [];
    const rows = await this.tx
      .updateTable('outbox')
      .set((eb) => ({ claim: eb('claim', '+', 1), claimed_by: lease.owner, lease_until: lease.until }))
      .where(
        'id',
        'in',
        free.map((r) => r.id),
      )
      .returningAll()
      .execute();
    return rows.sort((a, b) => a.id - b.id).map(rowToClaimedCommand);
  }

  async renew(ids: number[], lease: Lease) {
    if (ids.length === 0) return 0;
    const r = await this.tx
      .updateTable('outbox')
      .set({ lease_until: lease.until })
      .where('id', 'in', ids)
      .where('claimed_by', '=', lease.owner)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async releaseHeldBy(owner: string) {
    const r = await this.tx
      .updateTable('outbox')
      .set({ claimed_by: null, lease_until: null })
      .where('claimed_by', '=', owner)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async updateClaimed(id: number, claim: number, patch: ClaimedPatch) {
    const { release, ...rest } = patch;
    const r = await this.tx
      .updateTable('outbox')
      .set({ ...commandPatchToRow(rest), ...(release ? { claimed_by: null, lease_until: null } : {}) })
      .where('id', '=', id)
      .where('claim', '=', claim)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Pending commands of the lane that are due and first in line for their incident, oldest first. */
  #firstInLine(lane: Lane, now: string) {
    return this.tx
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
      .orderBy('o.id');
  }

  async deferLane(lane: Lane, until: string, now: string) {
    const r = await this.tx
      .updateTable('outbox')
      .set({ not_before: until, updated_at: now })
      .where('lane', '=', lane)
      .where('state', '=', 'pending')
      .where('not_before', '<', until)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
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
}

const knownKey = (incidentId: number, lane: Lane, kind: CommandKind) => `${incidentId} ${lane} ${kind}`;

/** The outbox as /readyz, metrics and the incident API read it. */
export class KyselyOutboxReads implements OutboxReads {
  constructor(private readonly db: Kysely<Database>) {}

  async stats() {
    const row = await this.#counts().executeTakeFirstOrThrow();
    return toStats(row);
  }

  async statsByLane() {
    const rows = await this.#counts().select('lane').groupBy('lane').orderBy('lane').execute();
    return rows.map((r) => ({ lane: r.lane, ...toStats(r) }));
  }

  #counts() {
    return this.db
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('state', '=', 'pending').then(1).else(0).end()).as('pending'),
        eb.fn.sum<number>(eb.case().when('state', '=', 'parked').then(1).else(0).end()).as('parked'),
        eb.fn.min(eb.case().when('state', '=', 'pending').then(eb.ref('created_at')).end()).as('oldest'),
      ]);
  }

  async of(incidentId: number) {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return rows.map(rowToCommand);
  }
}

const toStats = (row: { pending: number | null; parked: number | null; oldest: unknown }): OutboxStats => ({
  pending: Number(row.pending ?? 0),
  parked: Number(row.parked ?? 0),
  oldestPendingAt: (row.oldest as string | null) ?? null,
});
