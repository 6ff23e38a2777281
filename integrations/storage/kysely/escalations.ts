import type { Kysely } from 'kysely';
import type { Escalation, NewEscalation } from '../../../src/core/escalation/escalation';
import type { EscalationReads, EscalationWrites } from '../../../src/ports/escalations';
import type { Database } from '../database';
import { escalationToRow, rowToEscalation } from '../row-mappers';

const ofIncident = async (db: Kysely<Database>, incidentId: number) =>
  (
    await db
      .selectFrom('escalations')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id')
      .execute()
  ).map(rowToEscalation);

/** Escalation runs as the API reads them. */
export class KyselyEscalationReads implements EscalationReads {
  constructor(private readonly db: Kysely<Database>) {}

  ofIncident(incidentId: number) {
    return ofIncident(this.db, incidentId);
  }
}

/** Escalation runs inside one Kysely transaction. */
export class KyselyEscalationWrites implements EscalationWrites {
  constructor(private readonly tx: Kysely<Database>) {}

  async insert(e: NewEscalation) {
    const row = await this.tx
      .insertInto('escalations')
      .values(escalationToRow(e))
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToEscalation(row);
  }

  ofIncident(incidentId: number) {
    return ofIncident(this.tx, incidentId);
  }

  async due(now: string, limit: number) {
    const rows = await this.tx
      .selectFrom('escalations')
      .selectAll()
      .where('next_due_at', 'is not', null)
      .where('next_due_at', '<=', now)
      .orderBy('next_due_at')
      .limit(limit)
      .execute();
    return rows.map(rowToEscalation);
  }

  async update(e: Escalation) {
    await this.tx.updateTable('escalations').set(escalationToRow(e)).where('id', '=', e.id).execute();
  }
}
