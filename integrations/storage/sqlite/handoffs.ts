import type { Handoff } from '../../../src/core/handoff/handoff';
import type { HandoffWrites, NewHandoff } from '../../../src/ports/handoffs';
import { handoffToRow, rowToHandoff } from '../row-mappers';
import { named, type Row, type StatementCache } from './statement-cache';

const COLUMNS = [
  'incident_id',
  'from_provider',
  'to_provider',
  'state',
  'note',
  'offered_at',
  'offered_by',
  'deadline',
  'reminded',
  'decided_at',
  'decided_by',
  'reason',
  'next_check_at',
] as const;

/** Hand-offs on prepared statements, inside the SQLite unit of work. */
export class SqliteHandoffWrites implements HandoffWrites {
  constructor(private readonly q: StatementCache) {}

  async get(id: number) {
    const r = this.q.get<Row<'handoffs'>>('SELECT * FROM handoffs WHERE id = ?').get(id);
    return r ? rowToHandoff(r) : null;
  }

  async ofIncident(incidentId: number) {
    return this.q
      .get<Row<'handoffs'>>('SELECT * FROM handoffs WHERE incident_id = ? ORDER BY id')
      .all(incidentId)
      .map(rowToHandoff);
  }

  async insert(h: NewHandoff) {
    const r = this.q
      .get<Row<'handoffs'>>(
        `INSERT INTO handoffs (${COLUMNS.join(', ')}) VALUES (${named(COLUMNS)}) RETURNING *`,
      )
      .get(handoffToRow(h));
    if (!r) throw new Error('INSERT … RETURNING returned no row');
    return rowToHandoff(r);
  }

  async due(now: string, limit: number) {
    return this.q
      .get<Row<'handoffs'>>(
        'SELECT * FROM handoffs WHERE next_check_at IS NOT NULL AND next_check_at <= ? ORDER BY next_check_at LIMIT ?',
      )
      .all(now, limit)
      .map(rowToHandoff);
  }

  async update(h: Handoff) {
    this.q
      .get(`UPDATE handoffs SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...handoffToRow(h), __id: h.id });
  }
}
