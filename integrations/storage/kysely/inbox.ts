import type { Kysely } from 'kysely';
import type { Alert } from '../../../src/core/alert/alert';
import { StoreUnavailableError } from '../../../src/errors';
import type { AlertInbox, InboxBatch } from '../../../src/ports/inbox';
import type { Database } from '../database';
import { alertToRow, rowToAlert } from '../row-mappers';
import { splitShared } from '../shared-labels';
import { selectAlerts } from './select-alerts';

/** The fewest parameters the databases bind in one statement (SQLite's default limit). */
const MAX_PARAMETERS = 32_766;

/** The inbox over Kysely: webhooks accept alerts, /readyz reads the lag. */
export class KyselyInbox implements AlertInbox {
  constructor(private readonly db: Kysely<Database>) {}

  async accept(alerts: Alert[], o: { requestId?: string | null } = {}): Promise<number[]> {
    if (alerts.length === 0) return [];
    try {
      // Shared labels once per delivery, in the same transaction as its alerts.
      return await this.db.transaction().execute(async (tx) => {
        const { shared, alerts: own } = splitShared(alerts);
        const sharedId = shared
          ? (
              await tx
                .insertInto('alert_shared')
                .values({
                  labels: JSON.stringify(shared.labels),
                  annotations: JSON.stringify(shared.annotations),
                })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id
          : null;
        const rows = own.map((a) => alertToRow(a, { sharedId, requestId: o.requestId }));
        // A statement binds at most 65,535 parameters on PostgreSQL (32,766 on SQLite): a large delivery
        // (an alert storm of 10,000) goes in slices, in order, in the same transaction.
        const perSlice = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0] ?? {}).length));
        const ids: number[] = [];
        for (let i = 0; i < rows.length; i += perSlice) {
          const slice = rows.slice(i, i + perSlice);
          for (const r of await tx.insertInto('alerts').values(slice).returning('id').execute())
            ids.push(r.id);
        }
        return ids;
      });
    } catch (err) {
      // Disk full, locked database, I/O error: the sender must retry, so this becomes a 503.
      throw new StoreUnavailableError(`could not store alerts: ${(err as Error).message}`);
    }
  }

  async lag() {
    const row = await this.db
      .selectFrom('alerts')
      .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('received_at').as('oldest')])
      .where('processed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), oldestReceivedAt: (row.oldest as string | null) ?? null };
  }
}

/** The correlation side of the inbox inside one Kysely transaction. */
export class KyselyInboxBatch implements InboxBatch {
  constructor(private readonly tx: Kysely<Database>) {}

  async pending(limit: number) {
    const rows = await selectAlerts(this.tx)
      .where('alerts.processed_at', 'is', null)
      .orderBy('alerts.id')
      .limit(limit)
      .execute();
    return rows.map(rowToAlert);
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    await this.tx
      .updateTable('alerts')
      .set({ processed_at: at, incident_id: incidentId, decision })
      .where('id', '=', alertId)
      .execute();
  }
}
