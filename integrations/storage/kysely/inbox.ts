import type { Kysely } from 'kysely';
import type { Alert } from '../../../src/core/alert/alert';
import { StoreUnavailableError } from '../../../src/errors';
import type { AlertInbox, InboxBatch } from '../../../src/ports/inbox';
import type { Database } from '../database';
import { alertToRow, rowToAlert } from '../row-mappers';
import { splitShared } from '../shared-labels';
import { selectAlerts } from './select-alerts';

/** Alerts per INSERT: 19 columns each stay below SQLite's 32,766 bind parameters. */
const ACCEPT_SLICE = 1000;

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
        // In slices: one INSERT of a 10,000-alert delivery would exceed the database's bind parameters.
        const ids: number[] = [];
        for (let i = 0; i < own.length; i += ACCEPT_SLICE) {
          const rows = await tx
            .insertInto('alerts')
            .values(
              own.slice(i, i + ACCEPT_SLICE).map((a) => alertToRow(a, { sharedId, requestId: o.requestId })),
            )
            .returning('id')
            .execute();
          ids.push(...rows.map((r) => r.id));
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
