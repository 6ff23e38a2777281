import type { CommandKind, Lane } from '../../../src/core/outbox/outbox-command';
import type { ClaimedPatch, Lease, NewCommand, OutboxQueue } from '../../../src/ports/outbox';
import { commandPatchToRow, rowToClaimedCommand, rowToCommand } from '../row-mappers';
import type { Row, StatementCache } from './statement-cache';

/** The transactional outbox on prepared statements. */
export class SqliteOutboxQueue implements OutboxQueue {
  constructor(private readonly q: StatementCache) {}

  async enqueue(c: NewCommand) {
    this.q
      .get(
        `INSERT INTO outbox (incident_id, lane, kind, payload, state, attempts, not_before, created_at, updated_at, request_id) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`,
      )
      .run(
        c.incidentId,
        c.lane,
        c.kind,
        JSON.stringify(c.payload),
        c.notBefore,
        c.at,
        c.at,
        c.requestId ?? null,
      );
  }

  async hasPending(incidentId: number, lane: Lane, kind: CommandKind) {
    return !!this.q
      .get(
        // A claimed command is in flight and may have read the incident already: it absorbs nothing more.
        "SELECT 1 FROM outbox WHERE incident_id = ? AND lane = ? AND kind = ? AND state = 'pending' AND claimed_by IS NULL LIMIT 1",
      )
      .get(incidentId, lane, kind);
  }

  async pending(incidentId: number, lane: Lane, kind: CommandKind) {
    const r = this.q
      .get<Row<'outbox'>>(
        "SELECT * FROM outbox WHERE incident_id = ? AND lane = ? AND kind = ? AND state = 'pending' AND claimed_by IS NULL ORDER BY id LIMIT 1",
      )
      .get(incidentId, lane, kind);
    return r ? rowToCommand(r) : null;
  }

  async pendingAll(incidentId: number, lane: Lane, kind: CommandKind) {
    return this.q
      .get<Row<'outbox'>>(
        "SELECT * FROM outbox WHERE incident_id = ? AND lane = ? AND kind = ? AND state = 'pending' AND claimed_by IS NULL ORDER BY id",
      )
      .all(incidentId, lane, kind)
      .map(rowToCommand);
  }

  async get(id: number) {
    const r = this.q.get<Row<'outbox'>>('SELECT * FROM outbox WHERE id = ?').get(id);
    return r ? rowToCommand(r) : null;
  }

  async update(id: number, patch: Parameters<OutboxQueue['update']>[1]) {
    const row = commandPatchToRow(patch);
    const cols = Object.keys(row);
    this.q
      .get(`UPDATE outbox SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id`)
      .run({ ...row, __id: id });
  }

  async due(lane: Lane, now: string, limit: number) {
    return this.q
      .get<Row<'outbox'>>(
        `SELECT o.* FROM outbox o WHERE o.state = 'pending' AND o.lane = ? AND o.not_before <= ?
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.incident_id = o.incident_id AND p.lane = o.lane AND p.id < o.id AND p.state IN ('pending', 'parked'))
         ORDER BY o.id LIMIT ?`,
      )
      .all(lane, now, limit)
      .map(rowToCommand);
  }

  // The unit of work is one BEGIN IMMEDIATE transaction: nobody claims between the read and the update.
  async claim(lane: Lane, now: string, limit: number, lease: Lease) {
    if (limit <= 0) return [];
    const rows = this.q
      .get<Row<'outbox'>>(
        `SELECT o.* FROM outbox o WHERE o.state = 'pending' AND o.lane = ? AND o.not_before <= ?
           AND (o.lease_until IS NULL OR o.lease_until <= ?)
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.incident_id = o.incident_id AND p.lane = o.lane AND p.id < o.id AND p.state IN ('pending', 'parked'))
         ORDER BY o.id LIMIT ?`,
      )
      .all(lane, now, now, limit);
    const take = this.q.get(
      'UPDATE outbox SET claim = claim + 1, claimed_by = ?, lease_until = ? WHERE id = ?',
    );
    return rows.map((r) => {
      take.run(lease.owner, lease.until, r.id);
      return rowToClaimedCommand({
        ...r,
        claim: r.claim + 1,
        claimed_by: lease.owner,
        lease_until: lease.until,
      });
    });
  }

  async renew(ids: number[], lease: Lease) {
    const extend = this.q.get(
      "UPDATE outbox SET lease_until = ? WHERE id = ? AND claimed_by = ? AND state = 'pending'",
    );
    return ids.reduce((n, id) => n + extend.run(lease.until, id, lease.owner).changes, 0);
  }

  async releaseHeldBy(owner: string) {
    return this.q
      .get(
        "UPDATE outbox SET claimed_by = NULL, lease_until = NULL WHERE claimed_by = ? AND state = 'pending'",
      )
      .run(owner).changes;
  }

  async updateClaimed(id: number, claim: number, patch: ClaimedPatch) {
    const { release, ...rest } = patch;
    const row: Record<string, unknown> = { ...commandPatchToRow(rest) };
    if (release) Object.assign(row, { claimed_by: null, lease_until: null });
    const cols = Object.keys(row);
    return (
      this.q
        .get(
          `UPDATE outbox SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @__id AND claim = @__claim AND state = 'pending'`,
        )
        .run({ ...row, __id: id, __claim: claim }).changes > 0
    );
  }

  async deferLane(lane: Lane, until: string, now: string) {
    return this.q
      .get(
        "UPDATE outbox SET not_before = ?, updated_at = ? WHERE lane = ? AND state = 'pending' AND not_before < ?",
      )
      .run(until, now, lane, until).changes;
  }

  async replayParked(now: string, id?: number) {
    const r =
      id === undefined
        ? this.q
            .get("UPDATE outbox SET state = 'pending', not_before = ?, updated_at = ? WHERE state = 'parked'")
            .run(now, now)
        : this.q
            .get(
              "UPDATE outbox SET state = 'pending', not_before = ?, updated_at = ? WHERE state = 'parked' AND id = ?",
            )
            .run(now, now, id);
    return r.changes;
  }
}
