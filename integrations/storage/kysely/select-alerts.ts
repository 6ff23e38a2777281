import type { Kysely } from 'kysely';
import type { Database } from '../database';

/** `alerts` rows with their delivery's shared labels/annotations joined in, ready for `rowToAlert`. */
export function selectAlerts(db: Kysely<Database>) {
  return db
    .selectFrom('alerts')
    .leftJoin('alert_shared', 'alert_shared.id', 'alerts.shared_id')
    .selectAll('alerts')
    .select(['alert_shared.labels as shared_labels', 'alert_shared.annotations as shared_annotations']);
}
