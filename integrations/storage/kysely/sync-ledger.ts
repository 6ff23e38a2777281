import type { Kysely, Selectable } from 'kysely';
import type { SyncSystem } from '../../../src/core/sync/remote-change';
import type { EchoEntry, FieldVersion, SyncReads, SyncWrites } from '../../../src/ports/sync-ledger';
import type { IncidentRecord } from '../../../src/ports/incidents';
import type { Database, SyncEchoLedgerTable, SyncFieldVersionsTable } from '../database';
import { rowToIncident } from '../row-mappers';

/** A ledger row as the port returns it. */
export const rowToEcho = (r: Selectable<SyncEchoLedgerTable>): EchoEntry => ({
  system: r.system === 'jira' ? 'jira' : 'servicenow',
  record: r.record,
  item: r.item,
  contentHash: r.content_hash,
  commandId: r.command_id,
  createdAt: r.created_at,
  matchedAt: r.matched_at,
  remoteId: r.remote_id,
});

export const rowToVersion = (r: Selectable<SyncFieldVersionsTable>): FieldVersion => ({
  value: r.value,
  updatedAt: r.updated_at,
  version: r.version,
});

/** Whether an incident's tickets reference this record on this system. */
export const linksRecord = (i: IncidentRecord, system: SyncSystem, record: string): boolean =>
  system === 'jira'
    ? i.tickets.jira?.key.toUpperCase() === record.toUpperCase()
    : i.tickets.servicenow?.sys_id === record;

/** The LIKE pattern that narrows incidents to those whose tickets JSON mentions the record. */
export const recordPattern = (record: string): string => `%"${record.replace(/[%_"\\]/g, '')}"%`;

async function incidentFor(db: Kysely<Database>, system: SyncSystem, record: string) {
  // Jira keys are stored upper case; the tickets column is JSON text, the parsed value decides.
  const wanted = system === 'jira' ? record.toUpperCase() : record;
  const rows = await db
    .selectFrom('incidents')
    .selectAll()
    .where('tickets', 'like', recordPattern(wanted))
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  return rows.map(rowToIncident).find((i) => linksRecord(i, system, wanted)) ?? null;
}

async function fieldVersion(db: Kysely<Database>, system: SyncSystem, record: string, field: string) {
  const r = await db
    .selectFrom('sync_field_versions')
    .selectAll()
    .where('system', '=', system)
    .where('record', '=', record)
    .where('field', '=', field)
    .executeTakeFirst();
  return r ? rowToVersion(r) : null;
}

/** The sync's state as the drift check reads it. */
export class KyselySyncReads implements SyncReads {
  constructor(private readonly db: Kysely<Database>) {}

  async linkedPairs(since: string, afterId: number, limit: number) {
    const rows = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('opened_at', '>=', since)
      .where('id', '>', afterId)
      .where('tickets', 'like', '%"servicenow"%')
      .where('tickets', 'like', '%"jira"%')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(rowToIncident).filter((i) => i.tickets.servicenow && i.tickets.jira);
  }

  async ledgerOf(system: SyncSystem, record: string) {
    const rows = await this.db
      .selectFrom('sync_echo_ledger')
      .selectAll()
      .where('system', '=', system)
      .where('record', '=', record)
      .orderBy('id')
      .execute();
    return rows.map(rowToEcho);
  }

  async isProcessed(system: SyncSystem, changeId: string) {
    const r = await this.db
      .selectFrom('sync_processed')
      .select('change_id')
      .where('system', '=', system)
      .where('change_id', '=', changeId)
      .executeTakeFirst();
    return r !== undefined;
  }

  fieldVersion(system: SyncSystem, record: string, field: string) {
    return fieldVersion(this.db, system, record, field);
  }
}

/** The sync's state inside one Kysely transaction. */
export class KyselySyncWrites implements SyncWrites {
  constructor(private readonly tx: Kysely<Database>) {}

  incidentFor(system: SyncSystem, record: string) {
    return incidentFor(this.tx, system, record);
  }

  async markProcessed(p: { system: SyncSystem; changeId: string; record: string; at: string }) {
    const r = await this.tx
      .insertInto('sync_processed')
      .values({ system: p.system, change_id: p.changeId, record: p.record, processed_at: p.at })
      .onConflict((oc) => oc.columns(['system', 'change_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async recordEcho(e: Omit<EchoEntry, 'matchedAt' | 'remoteId'>) {
    await this.tx
      .insertInto('sync_echo_ledger')
      .values({
        system: e.system,
        record: e.record,
        item: e.item,
        content_hash: e.contentHash,
        command_id: e.commandId,
        created_at: e.createdAt,
      })
      .execute();
  }

  async matchEcho(e: Parameters<SyncWrites['matchEcho']>[0]) {
    const base = this.tx
      .selectFrom('sync_echo_ledger')
      .select(['id', 'remote_id', 'matched_at'])
      .where('system', '=', e.system)
      .where('record', '=', e.record)
      .where('item', '=', e.item)
      .where('content_hash', '=', e.contentHash);
    if (e.remoteId !== null) {
      const seen = await base.where('remote_id', '=', e.remoteId).executeTakeFirst();
      if (seen) return true;
    }
    const open = await base.where('matched_at', 'is', null).orderBy('id').limit(1).executeTakeFirst();
    if (!open) return false;
    await this.tx
      .updateTable('sync_echo_ledger')
      .set({ matched_at: e.at, remote_id: e.remoteId })
      .where('id', '=', open.id)
      .execute();
    return true;
  }

  fieldVersion(system: SyncSystem, record: string, field: string) {
    return fieldVersion(this.tx, system, record, field);
  }

  async setFieldVersion(system: SyncSystem, record: string, field: string, v: FieldVersion) {
    await this.tx
      .insertInto('sync_field_versions')
      .values({ system, record, field, value: v.value, updated_at: v.updatedAt, version: v.version })
      .onConflict((oc) =>
        oc
          .columns(['system', 'record', 'field'])
          .doUpdateSet({ value: v.value, updated_at: v.updatedAt, version: v.version }),
      )
      .execute();
  }
}
