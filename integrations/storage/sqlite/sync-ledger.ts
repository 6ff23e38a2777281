import type { SyncSystem } from '../../../src/core/sync/remote-change';
import type { EchoEntry, FieldVersion, SyncWrites } from '../../../src/ports/sync-ledger';
import { linksRecord, recordPattern, rowToVersion } from '../kysely/sync-ledger';
import { rowToIncident } from '../row-mappers';
import type { Row, StatementCache } from './statement-cache';

/** The sync's state on prepared statements, inside the SQLite unit of work. */
export class SqliteSyncWrites implements SyncWrites {
  constructor(private readonly q: StatementCache) {}

  async incidentFor(system: SyncSystem, record: string) {
    const wanted = system === 'jira' ? record.toUpperCase() : record;
    const rows = this.q
      .get<Row<'incidents'>>('SELECT * FROM incidents WHERE tickets LIKE ? ORDER BY id DESC LIMIT 20')
      .all(recordPattern(wanted));
    return rows.map(rowToIncident).find((i) => linksRecord(i, system, wanted)) ?? null;
  }

  async markProcessed(p: { system: SyncSystem; changeId: string; record: string; at: string }) {
    const r = this.q
      .get(
        'INSERT INTO sync_processed (system, change_id, record, processed_at) VALUES (?, ?, ?, ?) ON CONFLICT (system, change_id) DO NOTHING',
      )
      .run(p.system, p.changeId, p.record, p.at);
    return r.changes > 0;
  }

  async recordEcho(e: Omit<EchoEntry, 'matchedAt' | 'remoteId'>) {
    this.q
      .get(
        'INSERT INTO sync_echo_ledger (system, record, item, content_hash, command_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(e.system, e.record, e.item, e.contentHash, e.commandId, e.createdAt);
  }

  async matchEcho(e: Parameters<SyncWrites['matchEcho']>[0]) {
    const where = 'system = ? AND record = ? AND item = ? AND content_hash = ?';
    const key = [e.system, e.record, e.item, e.contentHash];
    if (e.remoteId !== null) {
      const seen = this.q
        .get(`SELECT id FROM sync_echo_ledger WHERE ${where} AND remote_id = ?`)
        .get(...key, e.remoteId);
      if (seen) return true;
    }
    const open = this.q
      .get<{ id: number }>(
        `SELECT id FROM sync_echo_ledger WHERE ${where} AND matched_at IS NULL ORDER BY id LIMIT 1`,
      )
      .get(...key);
    if (!open) return false;
    this.q
      .get('UPDATE sync_echo_ledger SET matched_at = ?, remote_id = ? WHERE id = ?')
      .run(e.at, e.remoteId, open.id);
    return true;
  }

  async fieldVersion(system: SyncSystem, record: string, field: string) {
    const r = this.q
      .get<Row<'sync_field_versions'>>(
        'SELECT * FROM sync_field_versions WHERE system = ? AND record = ? AND field = ?',
      )
      .get(system, record, field);
    return r ? rowToVersion(r) : null;
  }

  async setFieldVersion(system: SyncSystem, record: string, field: string, v: FieldVersion) {
    this.q
      .get(
        `INSERT INTO sync_field_versions (system, record, field, value, updated_at, version) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (system, record, field) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, version = excluded.version`,
      )
      .run(system, record, field, v.value, v.updatedAt, v.version);
  }
}
