import { sql, type Kysely } from 'kysely';
import type { Alert } from '../../../src/core/alert/alert';
import { StoreUnavailableError } from '../../../src/errors';
import type { Database } from '../database';
import { KyselyInbox } from '../kysely/inbox';
import { alertToRow } from '../row-mappers';
import { splitShared } from '../shared-labels';
import { rowsOf } from './write-behind';

/**
 * The inbox on PostgreSQL: a delivery's shared labels and its alerts in ONE statement (a data-modifying
 * CTE, atomic without BEGIN/COMMIT), so accepting a delivery costs one round trip instead of four, and
 * the alerts travel as one JSON parameter, so a delivery of 10,000 alerts stays far below PostgreSQL's
 * 65,535 bind parameters.
 */
export class PostgresInbox extends KyselyInbox {
  constructor(private readonly pgDb: Kysely<Database>) {
    super(pgDb);
  }

  override async accept(alerts: Alert[], o: { requestId?: string | null } = {}): Promise<number[]> {
    if (alerts.length === 0) return [];
    const { shared, alerts: own } = splitShared(alerts);
    const rows = own.map((a) => alertToRow(a, { requestId: o.requestId }));
    const columns = Object.keys(rows[0]!).filter((c) => c !== 'shared_id');
    const values = sql.join(columns.map((c) => sql.ref(`v.${c}`)));
    const list = sql.join([...columns, 'shared_id'].map((c) => sql.ref(c)));
    const query = shared
      ? sql<{ id: number }>`WITH s AS (
          INSERT INTO alert_shared (labels, annotations)
          VALUES (${JSON.stringify(shared.labels)}, ${JSON.stringify(shared.annotations)}) RETURNING id)
        INSERT INTO alerts (${list}) SELECT ${values}, s.id FROM ${rowsOf('alerts', rows)}, s
        ORDER BY v.ordinality RETURNING id`
      : sql<{ id: number }>`INSERT INTO alerts (${list}) SELECT ${values}, NULL FROM ${rowsOf('alerts', rows)}
        ORDER BY v.ordinality RETURNING id`;
    try {
      const { rows: ids } = await query.execute(this.pgDb);
      // Identity values are drawn in insertion order, which follows the delivery's order.
      return ids.map((r) => r.id).sort((a, b) => a - b);
    } catch (err) {
      // Database down, failover in progress: the sender must retry, so this becomes a 503.
      throw new StoreUnavailableError(`could not store alerts: ${(err as Error).message}`);
    }
  }
}
