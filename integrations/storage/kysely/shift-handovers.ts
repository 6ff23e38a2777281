import type { Kysely } from 'kysely';
import type { NewShiftHandover, ShiftHandover } from '../../../src/core/oncall/shift-handover';
import type { ShiftHandoverReads, ShiftHandoverWrites } from '../../../src/ports/shift-handovers';
import type { Database } from '../database';
import { rowToShiftHandover, shiftHandoverToRow } from '../row-mappers';

/** Shift handovers as the API reads them. */
export class KyselyShiftHandoverReads implements ShiftHandoverReads {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: number) {
    const r = await this.db.selectFrom('shift_handovers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? rowToShiftHandover(r) : null;
  }

  async list(q: { provider?: string; limit: number }) {
    let query = this.db.selectFrom('shift_handovers').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.provider !== undefined) query = query.where('provider', '=', q.provider);
    return (await query.execute()).map(rowToShiftHandover);
  }
}

/**
 * Shift handovers inside one Kysely transaction. With `lockRows` (PostgreSQL) a handover read here is
 * locked until the commit, so two people acknowledging it at once take turns, as on SQLite.
 */
export class KyselyShiftHandoverWrites implements ShiftHandoverWrites {
  readonly #lock: boolean;

  constructor(
    private readonly tx: Kysely<Database>,
    opts: { lockRows?: boolean } = {},
  ) {
    this.#lock = opts.lockRows ?? false;
  }

  async get(id: number) {
    const r = await this.tx
      .selectFrom('shift_handovers')
      .selectAll()
      .where('id', '=', id)
      .$if(this.#lock, (q) => q.forUpdate())
      .executeTakeFirst();
    return r ? rowToShiftHandover(r) : null;
  }

  async rotationAt(provider: string, at: string) {
    const r = await this.tx
      .selectFrom('shift_handovers')
      .selectAll()
      .where('provider', '=', provider)
      .where('at', '=', at)
      .where('trigger', '=', 'rotation')
      .executeTakeFirst();
    return r ? rowToShiftHandover(r) : null;
  }

  async insert(h: NewShiftHandover) {
    const row = await this.tx
      .insertInto('shift_handovers')
      .values(shiftHandoverToRow(h))
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToShiftHandover(row);
  }

  async due(now: string, limit: number) {
    const rows = await this.tx
      .selectFrom('shift_handovers')
      .selectAll()
      .where('escalate_at', 'is not', null)
      .where('escalate_at', '<=', now)
      .orderBy('escalate_at')
      .limit(limit)
      .execute();
    return rows.map(rowToShiftHandover);
  }

  async update(h: ShiftHandover) {
    await this.tx.updateTable('shift_handovers').set(shiftHandoverToRow(h)).where('id', '=', h.id).execute();
  }
}
