import { sql, type Kysely } from 'kysely';
import { OPEN_STATES } from '../../../src/core/handoff/handoff';
import {
  purgeAcknowledgement,
  purgeAuditRow,
  purgeEscalationStop,
  purgeHandoff,
  purgeShiftHandover,
  purgeServiceNowSnapshot,
  purgeTimelineRow,
  PERSONAL_SYNC_FIELDS,
  type PurgeKinds,
} from '../../../src/core/privacy/pseudonymise';
import type {
  PersonalData,
  PersonRecords,
  PurgeCounts,
  RetentionCutoffs,
} from '../../../src/ports/personal-data';
import type { Database } from '../database';
import { rowToHandoff, rowToShiftHandover, rowToTimeline } from '../row-mappers';
import { auditEntry } from './audit-log';
import { syncFieldVersionPurge, type VersionKey, type VersionRow } from './sync-field-version-purge';

/** Rows per purge transaction: bounded work, and writers wait at most one page. */
const PAGE = 500;

/** How the purge pages through one table and rewrites its rows (see `#rewriteFrom`). */
export interface Rewrite<R, N, K> {
  select: (tx: Kysely<Database>, after: K) => Promise<R[]>;
  key: (r: R) => K;
  next: (r: R) => N | null;
  write: (tx: Kysely<Database>, r: R, next: N) => Promise<unknown>;
  dryRun: boolean;
}

/** An ISO cutoff as ServiceNow's raw `YYYY-MM-DD HH:mm:ss` (UTC), which the snapshots store and compare as text. */
const glideTimeOf = (iso: string) => iso.slice(0, 19).replace('T', ' ');
/** ServiceNow's raw time as the ISO instant the cutoffs compare with. */
const isoOfGlide = (glide: string) => `${glide.replace(' ', 'T')}.000Z`;

/** Which kinds are past retention for a row written at `at` (ISO strings compare as instants). */
const kindsAt = (at: string, c: RetentionCutoffs): PurgeKinds => ({
  texts: at < c.chatTexts,
  names: at < c.personalNames,
});
/** Rows written before this may hold a text or a name past retention. */
const latest = (c: RetentionCutoffs) => (c.chatTexts > c.personalNames ? c.chatTexts : c.personalNames);

/**
 * `%value%` for LIKE, with LIKE's wildcards in the value escaped, and `ESCAPE '\'` after it. The right
 * operand of a builder `like` (not raw SQL), so the PostgreSQL store makes it ILIKE as it does every LIKE.
 */
const containing = (value: string) =>
  sql<string>`${`%${value.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} ESCAPE '\\'`;

/**
 * Personal data over Kysely (SQLite and PostgreSQL alike). The purge walks each table in pages by
 * key, each page one transaction, and asks the core (src/core/privacy) what a row becomes; a dry run
 * walks the same pages and writes nothing.
 */
export class KyselyPersonalData implements PersonalData {
  constructor(private readonly db: Kysely<Database>) {}

  async purge(c: RetentionCutoffs, o: { dryRun: boolean; at: string }): Promise<PurgeCounts> {
    return {
      alertPayloads: await this.#alerts(c.alertPayloads, o.dryRun),
      timelineEntries: await this.#timeline(c, o.dryRun),
      auditEntries: await this.#audit(c, o),
      acknowledgements: await this.#acknowledgements(c.personalNames, o.dryRun),
      handoffs: await this.#handoffs(c, o.dryRun),
      shiftHandovers: await this.#shiftHandovers(c, o.dryRun),
      escalations: await this.#escalations(c.personalNames, o.dryRun),
      outboxCommands: await this.#outbox(latest(c), o.dryRun),
      servicenowSnapshots: await this.#servicenowSnapshots(c, o.dryRun),
      syncFieldVersions: await this.#rewriteFrom<VersionRow, string, VersionKey>(
        ['', '', ''],
        syncFieldVersionPurge({ page: PAGE, before: latest(c), kindsAt: (at) => kindsAt(at, c), ...o }),
      ),
    };
  }

  /** `#rewriteFrom` over an integer key, from the first row. */
  #rewrite<R, N>(o: Rewrite<R, N, number>): Promise<number> {
    return this.#rewriteFrom(0, o);
  }

  /**
   * Rewrites the rows `select` pages through (by key after `start`, each page one transaction) into
   * what `next` makes of them; rows it returns null for stay as they are. Returns how many it changed
   * (would change).
   */
  async #rewriteFrom<R, N, K>(start: K, o: Rewrite<R, N, K>): Promise<number> {
    let changed = 0;
    for (let after = start; ;) {
      const last = await this.db.transaction().execute(async (tx) => {
        const rows = await o.select(tx, after);
        for (const r of rows) {
          const n = o.next(r);
          if (n === null) continue;
          changed++;
          if (!o.dryRun) await o.write(tx, r, n);
        }
        return rows.length < PAGE ? null : o.key(rows[rows.length - 1]!);
      });
      if (last === null) return changed;
      after = last;
    }
  }

  async #alerts(cutoff: string, dryRun: boolean) {
    const past = this.db
      .selectFrom('alerts')
      .where('processed_at', 'is not', null)
      .where('received_at', '<', cutoff)
      .where((w) =>
        w.or([
          w('labels', '<>', '{}'),
          w('annotations', '<>', '{}'),
          w('links', '<>', '{}'),
          w('description', 'is not', null),
          w('shared_id', 'is not', null),
        ]),
      );
    if (dryRun)
      return Number((await past.select((f) => f.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const shared = (
      await past.select('shared_id').distinct().where('shared_id', 'is not', null).execute()
    ).flatMap((row) => (row.shared_id === null ? [] : [row.shared_id]));
    const r = await this.db
      .updateTable('alerts')
      .set({ labels: '{}', annotations: '{}', links: '{}', description: null, shared_id: null })
      .where('id', 'in', past.select('id'))
      .executeTakeFirst();
    // A delivery's shared labels go with its alerts once none of them points there any more (a scan of
    // alerts per 500 deliveries, once a day, instead of an index that every ingest would pay for).
    for (let i = 0; i < shared.length; i += 500) {
      const ids = shared.slice(i, i + 500);
      const used = new Set(
        (await this.db.selectFrom('alerts').select('shared_id').where('shared_id', 'in', ids).execute()).map(
          (row) => row.shared_id,
        ),
      );
      const unused = ids.filter((id) => !used.has(id));
      if (unused.length > 0) await this.db.deleteFrom('alert_shared').where('id', 'in', unused).execute();
    }
    return Number(r.numUpdatedRows);
  }

  #timeline(c: RetentionCutoffs, dryRun: boolean) {
    return this.#rewrite({
      dryRun,
      select: (tx, after) =>
        tx
          .selectFrom('timeline')
          .select(['id', 'at', 'type', 'actor', 'reason', 'data'])
          .where('at', '<', latest(c))
          .where('id', '>', after)
          .orderBy('id')
          .limit(PAGE)
          .execute(),
      key: (r) => r.id,
      next: (r) => purgeTimelineRow({ ...r, data: JSON.parse(r.data) }, kindsAt(r.at, c)),
      write: (tx, r, n) =>
        tx
          .updateTable('timeline')
          .set({ actor: n.actor, reason: n.reason, data: JSON.stringify(n.data) })
          .where('id', '=', r.id)
          .execute(),
    });
  }

  #audit(c: RetentionCutoffs, o: { dryRun: boolean; at: string }) {
    return this.#rewrite({
      dryRun: o.dryRun,
      select: (tx, after) =>
        tx
          .selectFrom('audit_log')
          .select(['seq', 'at', 'actor', 'data'])
          .where('at', '<', latest(c))
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(PAGE)
          .execute(),
      key: (r) => r.seq,
      next: (r) => purgeAuditRow({ actor: r.actor, data: JSON.parse(r.data) }, kindsAt(r.at, c)),
      // The salt goes with the content: the content hash left in the chain can no longer be matched
      // against a guessed name.
      write: (tx, r, n) =>
        tx
          .updateTable('audit_log')
          .set((eb) => ({
            actor: n.actor,
            data: JSON.stringify(n.data),
            salt: null,
            purged_at: eb.fn.coalesce('purged_at', eb.val(o.at)),
          }))
          .where('seq', '=', r.seq)
          .execute(),
    });
  }

  #acknowledgements(cutoff: string, dryRun: boolean) {
    return this.#rewrite({
      dryRun,
      select: (tx, after) =>
        tx
          .selectFrom('incidents')
          .select(['id', 'ack_by', 'ack_name'])
          .where('ack_at', '<', cutoff)
          .where('id', '>', after)
          .orderBy('id')
          .limit(PAGE)
          .execute(),
      key: (r) => r.id,
      next: (r) => (r.ack_by && r.ack_name ? purgeAcknowledgement({ by: r.ack_by, name: r.ack_name }) : null),
      write: (tx, r, n) =>
        tx.updateTable('incidents').set({ ack_by: n.by, ack_name: n.name }).where('id', '=', r.id).execute(),
    });
  }

  #handoffs(c: RetentionCutoffs, dryRun: boolean) {
    return this.#rewrite({
      dryRun,
      select: async (tx, after) =>
        (
          await tx
            .selectFrom('handoffs')
            .selectAll()
            .where('offered_at', '<', latest(c))
            .where('state', 'not in', OPEN_STATES)
            .where('id', '>', after)
            .orderBy('id')
            .limit(PAGE)
            .execute()
        ).map(rowToHandoff),
      key: (h) => h.id,
      next: (h) => purgeHandoff(h, kindsAt(h.decidedAt ?? h.offeredAt, c)),
      write: (tx, h, n) =>
        tx
          .updateTable('handoffs')
          .set({
            note: JSON.stringify(n.note),
            offered_by: n.offeredBy,
            decided_by: n.decidedBy,
            reason: n.reason,
          })
          .where('id', '=', h.id)
          .execute(),
    });
  }

  // An open handover can still be acknowledged, so it keeps its people until then.
  #shiftHandovers(c: RetentionCutoffs, dryRun: boolean) {
    return this.#rewrite({
      dryRun,
      select: async (tx, after) =>
        (
          await tx
            .selectFrom('shift_handovers')
            .selectAll()
            .where('at', '<', latest(c))
            .where('state', '<>', 'open')
            .where('id', '>', after)
            .orderBy('id')
            .limit(PAGE)
            .execute()
        ).map(rowToShiftHandover),
      key: (h) => h.id,
      next: (h) => purgeShiftHandover(h, kindsAt(h.acknowledgedAt ?? h.at, c)),
      write: (tx, h, n) =>
        tx
          .updateTable('shift_handovers')
          .set({
            requested_by: n.requestedBy,
            acknowledged_by: n.acknowledgedBy,
            outgoing: n.outgoing ? JSON.stringify(n.outgoing) : null,
            incoming: n.incoming ? JSON.stringify(n.incoming) : null,
            summary: JSON.stringify(n.summary),
          })
          .where('id', '=', h.id)
          .execute(),
    });
  }

  #escalations(cutoff: string, dryRun: boolean) {
    return this.#rewrite({
      dryRun,
      select: (tx, after) =>
        tx
          .selectFrom('escalations')
          .select(['id', 'stopped_by'])
          .where('stopped_at', '<', cutoff)
          .where('id', '>', after)
          .orderBy('id')
          .limit(PAGE)
          .execute(),
      key: (r) => r.id,
      next: (r) => purgeEscalationStop(r.stopped_by),
      write: (tx, r, n) =>
        tx.updateTable('escalations').set({ stopped_by: n }).where('id', '=', r.id).execute(),
    });
  }

  async #outbox(cutoff: string, dryRun: boolean) {
    const done = this.db.selectFrom('outbox').where('state', '=', 'done').where('updated_at', '<', cutoff);
    if (dryRun)
      return Number((await done.select((f) => f.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const r = await this.db
      .deleteFrom('outbox')
      .where('state', '=', 'done')
      .where('updated_at', '<', cutoff)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Closed ServiceNow incidents last read before the cutoffs: their snapshot is the poll's diff base, so
   * the row stays (state, version, journal watermark) and only the assignee and close notes go. An open
   * or resolved incident's snapshot is kept whole, however old: the next change is diffed against it.
   * A snapshot only pushed, never polled (`updated_on` empty), waits for the poll that dates it.
   */
  #servicenowSnapshots(c: RetentionCutoffs, dryRun: boolean) {
    type SnapshotRow = { instance: string; sys_id: string; updated_on: string; fields: string };
    return this.#rewriteFrom<SnapshotRow, Record<string, string>, [string, string]>(['', ''], {
      dryRun,
      select: (tx, [instance, sysId]) =>
        tx
          .selectFrom('servicenow_snapshots')
          .select(['instance', 'sys_id', 'updated_on', 'fields'])
          .where('updated_on', '<>', '')
          .where('updated_on', '<', glideTimeOf(latest(c)))
          .where(sql<boolean>`(instance, sys_id) > (${instance}, ${sysId})`)
          .orderBy('instance')
          .orderBy('sys_id')
          .limit(PAGE)
          .execute(),
      key: (r) => [r.instance, r.sys_id],
      next: (r) =>
        purgeServiceNowSnapshot(
          JSON.parse(r.fields) as Record<string, string>,
          kindsAt(isoOfGlide(r.updated_on), c),
        ),
      write: (tx, r, n) =>
        tx
          .updateTable('servicenow_snapshots')
          .set({ fields: JSON.stringify(n) })
          .where('instance', '=', r.instance)
          .where('sys_id', '=', r.sys_id)
          .execute(),
    });
  }

  async aboutPerson(who: {
    ids: readonly string[];
    emails: readonly string[];
    names?: readonly string[];
  }): Promise<PersonRecords> {
    const ids = [...who.ids];
    const byId = ids.length > 0;
    const acks = byId
      ? await this.db
          .selectFrom('incidents')
          .select(['id', 'ack_at', 'ack_by', 'ack_name'])
          .where('ack_by', 'in', ids)
          .orderBy('id')
          .execute()
      : [];
    const timeline = byId
      ? await this.db.selectFrom('timeline').selectAll().where('actor', 'in', ids).orderBy('id').execute()
      : [];
    const audit = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where((w) =>
        w.or([
          ...(byId ? [w('actor', 'in', ids)] : []),
          ...who.emails.map((e) => w('data', 'like', containing(`"${e}"`))),
        ]),
      )
      .orderBy('seq')
      .execute();
    const handoffs = byId
      ? await this.db
          .selectFrom('handoffs')
          .selectAll()
          .where((w) => w.or([w('offered_by', 'in', ids), w('decided_by', 'in', ids)]))
          .orderBy('id')
          .execute()
      : [];
    // The on-call people of a handover are stored as configured: chat user ids and e-mail inside JSON.
    const onCall = [
      ...ids.map(
        (id) => `"${id.startsWith('slack:') ? 'slackUser' : 'teamsUser'}":"${id.replace(/^\w+:/, '')}"`,
      ),
      ...who.emails.map((e) => `"email":"${e}"`),
    ];
    const shifts =
      byId || onCall.length > 0
        ? await this.db
            .selectFrom('shift_handovers')
            .selectAll()
            .where((w) =>
              w.or([
                ...(byId ? [w('requested_by', 'in', ids)] : []),
                ...onCall.flatMap((m) =>
                  (['outgoing', 'incoming'] as const).map((column) => w(column, 'like', containing(m))),
                ),
              ]),
            )
            .orderBy('id')
            .execute()
        : [];
    const escalations = byId
      ? await this.db
          .selectFrom('escalations')
          .select(['incident_id', 'provider', 'stopped_at', 'stopped_by'])
          .where('stopped_by', 'in', ids)
          .orderBy('id')
          .execute()
      : [];
    const outbox =
      who.emails.length > 0
        ? await this.db
            .selectFrom('outbox')
            .selectAll()
            .where((w) => w.or(who.emails.map((e) => w('payload', 'like', containing(`"${e}"`)))))
            .orderBy('id')
            .execute()
        : [];
    // Stored as JSON: a name is matched as the JSON string it is stored as, in any synced column.
    const names = (who.names ?? []).filter((n) => n.trim() !== '');
    const snapshots =
      names.length > 0
        ? await this.db
            .selectFrom('servicenow_snapshots')
            .select(['instance', 'sys_id', 'updated_on', 'fields'])
            .where((w) => w.or(names.map((n) => w('fields', 'like', containing(JSON.stringify(n))))))
            .orderBy('instance')
            .orderBy('sys_id')
            .execute()
        : [];
    // The sync stores people by ServiceNow display name (and in close notes): matched as contained text.
    const terms = [...names, ...who.emails];
    const versions =
      terms.length > 0
        ? await this.db
            .selectFrom('sync_field_versions')
            .selectAll()
            .where('field', 'in', [...PERSONAL_SYNC_FIELDS])
            .where((w) => w.or(terms.map((n) => w('value', 'like', containing(n)))))
            .orderBy('system')
            .orderBy('record')
            .orderBy('field')
            .execute()
        : [];
    return {
      acknowledgements: acks.map((r) => ({
        incidentId: r.id,
        at: r.ack_at ?? '',
        by: r.ack_by ?? '',
        name: r.ack_name ?? '',
      })),
      timeline: timeline.map(rowToTimeline),
      audit: audit.map(auditEntry),
      handoffs: handoffs.map(rowToHandoff),
      shiftHandovers: shifts.map(rowToShiftHandover),
      escalationsStopped: escalations.map((r) => ({
        incidentId: r.incident_id,
        provider: r.provider,
        at: r.stopped_at ?? '',
        by: r.stopped_by ?? '',
      })),
      outbox: outbox.map((r) => ({
        id: r.id,
        incidentId: r.incident_id,
        lane: r.lane,
        kind: r.kind,
        state: r.state,
        createdAt: r.created_at,
        payload: JSON.parse(r.payload),
      })),
      servicenowSnapshots: snapshots.map((r) => ({
        instance: r.instance,
        sysId: r.sys_id,
        updatedOn: r.updated_on,
        fields: JSON.parse(r.fields) as Record<string, string>,
      })),
      syncFieldVersions: versions.map((r) => ({
        system: r.system,
        record: r.record,
        field: r.field,
        value: r.value,
        updatedAt: r.updated_at,
      })),
    };
  }
}
