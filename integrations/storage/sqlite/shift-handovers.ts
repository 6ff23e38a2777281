import type { NewShiftHandover, ShiftHandover } from '../../../src/core/oncall/shift-handover';
import type { ShiftHandoverWrites } from '../../../src/ports/shift-handovers';
import { rowToShiftHandover, shiftHandoverToRow } from '../row-mappers';
import { named, type Row, type StatementCache } from './statement-cache';

const COLUMNS = [
  'provider',
  'at',
  'trigger',
  'requested_by',
  'outgoing',
  'incoming',
  'summary',
  'state',
  'acknowledged_by',
  'acknowledged_at',
  'escalate_at',
] as const;

/** Shift handovers on prepared statements, inside the SQLite unit of work (the timer runs every second). */
export class SqliteShiftHandoverWrites implements ShiftHandoverWrites {
  constructor(private readonly q: StatementCache) {}

  async get(id: number) {
    const r = this.q.get<Row<'shift_handovers'>>('SELECT * FROM shift_handovers WHERE id = ?').get(id);
    return r ? rowToShiftHandover(r) : null;
  }

  async rotationAt(provider: string, at: string) {
    const r = this.q
      .get<Row<'shift_handovers'>>(
        "SELECT * FROM shift_handovers WHERE provider = ? AND at = ? AND trigger = 'rotation'",
      )
      .get(provider, at);
    return r ? rowToShiftHandover(r) : null;
  }

  async insert(h: NewShiftHandover) {
    const r = this.q
      .get<Row<'shift_handovers'>>(
        `INSERT INTO shift_handovers (${COLUMNS.join(', ')}) VALUES (${named(COLUMNS)}) RETURNING *`,
      )
      .get(shiftHandoverToRow(h));
    if (!r) throw new Error('INSERT … RETURNING returned no row');
    return rowToShiftHandover(r);
  }

  async due(now: string, limit: number) {
    return this.q
      .get<Row<'shift_handovers'>>(
        'SELECT * FROM shift_handovers WHERE escalate_at IS NOT NULL AND escalate_at <= ? ORDER BY escalate_at LIMIT ?',
      )
      .all(now, limit)
      .map(rowToShiftHandover);
  }

  async update(h: ShiftHandover) {
    this.q
      .get(`UPDATE shift_handovers SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...shiftHandoverToRow(h), __id: h.id });
  }
}
