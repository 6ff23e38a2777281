import type { Kysely } from 'kysely';
import { OPEN_STATES } from '../../../src/core/handoff/handoff';
import type { HandoffReads, HandoffWrites, NewHandoff } from '../../../src/ports/handoffs';
import type { Handoff } from '../../../src/core/handoff/handoff';
import type { Database } from '../database';
import { handoffToRow, rowToHandoff } from '../row-mappers';

const getHandoff = async (db: Kysely<Database>, id: number, lock = false) => {
  const r = await db
    .selectFrom('handoffs')
    .selectAll()
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
  return r ? rowToHandoff(r) : null;
};

/** Hand-offs as the API reads them. */
export class KyselyHandoffReads implements HandoffReads {
  constructor(private readonly db: Kysely<Database>) {}

  get(id: number) {
    return getHandoff(this.db, id);
  }

  async list(q: Parameters<HandoffReads['list']>[0]) {
    let query = this.db.selectFrom('handoffs').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.state === 'open') query = query.where('state', 'in', OPEN_STATES);
    else if (q.state) query = query.where('state', '=', q.state);
    if (q.incidentId !== undefined) query = query.where('incident_id', '=', q.incidentId);
    return (await query.execute()).map(rowToHandoff);
  }
}

/**
 * Hand-offs inside one Kysely transaction. With `lockRows` (PostgreSQL, where units of work run
 * concurrently) a hand-off read here is locked until the commit, so two people deciding it at the same
 * moment take turns and the second sees the first one's decision; SQLite serialises whole transactions.
 */
export class KyselyHandoffWrites implements HandoffWrites {
  readonly #lock: boolean;

  constructor(
    private readonly tx: Kysely<Database>,
    opts: { lockRows?: boolean } = {},
  ) {
    this.#lock = opts.lockRows ?? false;
  }

  get(id: number) {
    return getHandoff(this.tx, id, this.#lock);
  }

  async ofIncident(incidentId: number) {
    const rows = await this.tx
      .selectFrom('handoffs')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute();
    return rows.map(rowToHandoff);
  }

  async insert(h: NewHandoff) {
    const row = await this.tx
      .insertInto('handoffs')
      .values(handoffToRow(h))
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToHandoff(row);
  }

  async due(now: string, limit: number) {
    const rows = await this.tx
      .selectFrom('handoffs')
      .selectAll()
      .where('next_check_at', 'is not', null)
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(limit)
      .execute();
    return rows.map(rowToHandoff);
  }

  async update(h: Handoff) {
    await this.tx.updateTable('handoffs').set(handoffToRow(h)).where('id', '=', h.id).execute();
  }
}
