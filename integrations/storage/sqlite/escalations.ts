import type { Escalation, NewEscalation } from '../../../src/core/escalation/escalation';
import type { EscalationWrites } from '../../../src/ports/escalations';
import { escalationToRow, rowToEscalation } from '../row-mappers';
import { named, type Row, type StatementCache } from './statement-cache';

const COLUMNS = [
  'incident_id',
  'provider',
  'priority',
  'trigger',
  'steps',
  'started_at',
  'next_step',
  'next_due_at',
  'state',
  'stopped_at',
  'stopped_by',
] as const;

/** Escalation runs on prepared statements, inside the SQLite unit of work (the timer runs every second). */
export class SqliteEscalationWrites implements EscalationWrites {
  constructor(private readonly q: StatementCache) {}

  async insert(e: NewEscalation) {
    const r = this.q
      .get<Row<'escalations'>>(
        `INSERT INTO escalations (${COLUMNS.join(', ')}) VALUES (${named(COLUMNS)}) RETURNING *`,
      )
      .get(escalationToRow(e));
    if (!r) throw new Error('INSERT … RETURNING returned no row');
    return rowToEscalation(r);
  }

  async ofIncident(incidentId: number) {
    return this.q
      .get<Row<'escalations'>>('SELECT * FROM escalations WHERE incident_id = ? ORDER BY id')
      .all(incidentId)
      .map(rowToEscalation);
  }

  async due(now: string, limit: number) {
    return this.q
      .get<Row<'escalations'>>(
        'SELECT * FROM escalations WHERE next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at LIMIT ?',
      )
      .all(now, limit)
      .map(rowToEscalation);
  }

  async update(e: Escalation) {
    this.q
      .get(`UPDATE escalations SET ${COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...escalationToRow(e), __id: e.id });
  }
}
