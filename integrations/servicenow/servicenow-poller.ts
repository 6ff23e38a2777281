import NodeCache from 'node-cache';
import type { RemoteChange, RemoteChangeSink } from '../../src/core/sync/remote-change';
import type { Logger } from '../../src/ports/logger';
import {
  SERVICENOW_SYNCED_COLUMNS,
  type IncidentSnapshot,
  type PollCursor,
  type SeenIncident,
  type SeenJournalEntry,
  type ServiceNowSyncState,
} from '../../src/ports/servicenow-sync';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import { fromThrown, toIntegrationError, type ServiceNowApi } from './client';
import { encodedQuery, isQueryValue } from './encoded-query';
import { HourlyRequestBudget } from './request-budget';
import { attachmentChange, changesOf, glideMs, glideTime, type SeenAttachment } from './servicenow-changes';

export interface ServiceNowPollerOptions {
  api: ServiceNowApi;
  /** The ServiceNow lane driver the outbox writes through: its limit and Retry-After gate hold here too. */
  transport: GatedTransport;
  state: ServiceNowSyncState;
  /** Key of the durable state: the instance URL. */
  instance: string;
  sink: RemoteChangeSink;
  logger: Logger;
  /** user_name of the bridge's integration user. */
  integrationUser: string;
  /** Seconds between polls (default 30). */
  intervalSeconds: number;
  /** Seconds each poll reads back before its cursor (clock drift, late commits; default 30). */
  overlapSeconds: number;
  /** Requests per rolling hour the reader may send (the instance's rate-limit rules count per hour). */
  requestsPerHour: number;
  /** Incidents per page (sysparm_limit) — also the journal query's batch. */
  pageSize: number;
  /** Journal entries per page. */
  journalPageSize: number;
  /** Without a stored cursor: how far back the very first poll starts. */
  initialLookbackSeconds: number;
  /**
   * Whether this instance polls now (the leader, when several instances share the database): the
   * others would spend the same hourly budget on the same changes. Pushes are taken by every instance.
   */
  leading?: () => Promise<boolean>;
  /**
   * Also read new attachments of our incidents (`sys_attachment`, by `sys_created_on` with its own
   * cursor): one more request per cycle, as attaching a file does not touch the incident's
   * `sys_updated_on`. On when the sync copies attachments.
   */
  attachments?: boolean;
}

/** What one poll did. */
export interface PollCycle {
  requests: number;
  pages: number;
  changes: number;
  /** Stopped because the hourly budget was spent (resumes from the committed cursor). */
  budgetExhausted: boolean;
}

/** The reader's state for logs, /metrics and tests. */
export interface ServiceNowPollStatus {
  lastPollAt: Date | null;
  nextPollAt: Date;
  budget: { perHour: number; remaining: number; exhaustedUntil: Date | null };
}

class BudgetExhausted extends Error {}

const INCIDENT_FIELDS = [
  'sys_id',
  'number',
  'sys_mod_count',
  'sys_updated_on',
  'sys_updated_by',
  ...SERVICENOW_SYNCED_COLUMNS,
].join(',');
const JOURNAL_FIELDS = 'sys_id,element_id,element,value,sys_created_on,sys_created_by';

type Row = Record<string, unknown>;
const str = (r: Row, k: string): string => {
  const v = r[k];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return '';
};

/**
 * The ServiceNow side of the two-way sync: polls our incidents (`correlation_display=itsm-bridge`) by
 * `sys_updated_on` with `sys_id` as tie-break (keyset pages, a small overlap back), reads the new journal
 * entries of the changed ones from `sys_journal_field`, and hands the changes to the sink; receives the
 * business rule's pushes the same way. The cursor and the snapshots move only after the sink resolved.
 * Polls run on the injected clock (`tick`); an idle poll costs one request.
 */
export class ServiceNowPoller {
  readonly #o: ServiceNowPollerOptions;
  readonly #budget: HourlyRequestBudget;
  /** Poll and push take turns: both diff against, and then save, the same snapshots. */
  #turn: Promise<unknown> = Promise.resolve();
  #lastPollAt: Date | null = null;
  #nextPollAt: Date;
  #exhaustedLogged = false;
  /** The cursor whose overlap window has been read again after it could still change (see #poll). */
  #settled: PollCursor | null = null;
  /** The same for the attachment cursor. */
  #attachmentsSettled: PollCursor | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  /** user_name → display name (sys_user `name`); a person's name rarely changes, a renamed one within the hour. */
  readonly #users = new NodeCache({ stdTTL: 3600, checkperiod: 0, useClones: false, maxKeys: 10_000 });
  readonly #groups = new Map<string, string>();

  constructor(o: ServiceNowPollerOptions) {
    this.#o = o;
    this.#budget = new HourlyRequestBudget(o.requestsPerHour, o.transport.clock);
    this.#nextPollAt = o.transport.clock.now();
  }

  /** Polls when the interval has passed on the clock (and ServiceNow's Retry-After and the budget allow). */
  async tick(): Promise<PollCycle | null> {
    const now = this.#now();
    if (now < this.#nextPollAt.getTime() || this.#o.transport.gate.isClosed()) return null;
    if (this.#o.leading && !(await this.#o.leading())) return null;
    if (this.#budget.remaining() === 0) {
      this.#logExhausted();
      return null;
    }
    this.#nextPollAt = new Date(now + this.#o.intervalSeconds * 1000);
    return this.pollOnce();
  }

  /** One poll, now: every page of changed incidents up to the newest, or until the budget is spent. */
  pollOnce(): Promise<PollCycle> {
    return this.#exclusive(() => this.#poll());
  }

  /** A record pushed by the business rule: diffed and handed on like a polled one; the cursor stays. */
  receivePush(seen: SeenIncident, journal: readonly SeenJournalEntry[]): Promise<void> {
    return this.#exclusive(async () => {
      // The rule sends user names; copied text names people by display name, as a poll does.
      await this.#pushedNames([seen.updatedBy, ...journal.map((j) => j.createdBy)]);
      const before = (await this.#o.state.snapshots(this.#o.instance, [seen.sysId])).get(seen.sysId);
      const { changes, snapshot } = changesOf(seen, journal, before, { ...this.#ctx(), pushed: true });
      if (changes.length > 0) await this.#o.sink(changes);
      await this.#o.state.save(this.#o.instance, [snapshot], null);
    });
  }

  status(): ServiceNowPollStatus {
    const remaining = this.#budget.remaining();
    return {
      lastPollAt: this.#lastPollAt,
      nextPollAt: this.#nextPollAt,
      budget: {
        perHour: this.#budget.perHour,
        remaining,
        exhaustedUntil: remaining === 0 ? this.#budget.nextFreeAt() : null,
      },
    };
  }

  /** Ticks every `wakeMs` of real time; whether a poll is due is the injected clock's call. */
  start(wakeMs = 1000): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.tick()
        .catch((err: unknown) =>
          this.#o.logger.warn('ServiceNow poll failed; the next one resumes from the committed cursor', {
            error: err instanceof Error ? err.message : String(err),
          }),
        )
        .finally(() => (this.#running = null));
    }, wakeMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
    await this.#turn.catch(() => undefined);
  }

  async #poll(): Promise<PollCycle> {
    const o = this.#o;
    const cycle: PollCycle = { requests: 0, pages: 0, changes: 0, budgetExhausted: false };
    this.#lastPollAt = o.transport.clock.now();
    const stored = await o.state.cursor(o.instance);
    const overlapMs = o.overlapSeconds * 1000;
    const from = stored
      ? glideTime(glideMs(stored.updatedOn) - overlapMs)
      : glideTime(this.#now() - o.initialLookbackSeconds * 1000 - overlapMs);
    // A settled window is not read again: the poll starts right after the cursor (one request when idle).
    const settled = !!stored && !!this.#settled && sameCursor(this.#settled, stored);
    let after: PollCursor = settled && stored ? stored : { updatedOn: from, sysId: '' };
    const startedAt = this.#now();
    try {
      for (;;) {
        const rows = await this.#incidentPage(after, cycle);
        cycle.pages++;
        if (rows.length === 0) break;
        const last = rows[rows.length - 1]!;
        after = { updatedOn: last.updatedOn, sysId: last.sysId };
        const snapshots = await o.state.snapshots(
          o.instance,
          rows.map((r) => r.sysId),
        );
        // Newer than handed on, or pushed since the last poll read its journal (a lost push's entries).
        const changed = rows.filter((r) => {
          const snap = snapshots.get(r.sysId);
          return (snap?.modCount ?? -1) < r.modCount || (!!snap && snap.updatedOn < r.updatedOn);
        });
        const handed: RemoteChange[] = [];
        const next: IncidentSnapshot[] = [];
        if (changed.length > 0) {
          // Never written since its creation: the only journal entries are the bridge's own at creating.
          const written = changed.filter((r) => snapshots.has(r.sysId) || r.modCount > 0);
          const journal =
            written.length > 0 ? await this.#journal(written, snapshots, from, cycle) : new Map();
          await this.#names(changed, journal, cycle);
          for (const r of changed) {
            const seen = this.#resolved(r);
            const { changes, snapshot } = changesOf(
              seen,
              journal.get(r.sysId) ?? [],
              snapshots.get(r.sysId),
              this.#ctx(),
            );
            handed.push(...changes);
            next.push(snapshot);
          }
          if (handed.length > 0) await o.sink(handed);
          cycle.changes += handed.length;
        }
        // Only now: a crash before this line repeats the page, and the sink drops what it handled.
        await o.state.save(o.instance, next, after);
        if (rows.length < o.pageSize) break;
      }
      if (o.attachments) await this.#attachments(from, cycle);
      this.#exhaustedLogged = false;
      // Late commits land at most `overlap` behind (clock drift included, on either clock): once a poll
      // started two overlaps after the cursor re-read the window and the cursor stayed, it is settled.
      if (stored && sameCursor(after, stored) && startedAt >= glideMs(stored.updatedOn) + 2 * overlapMs)
        this.#settled = stored;
      else if (!stored || !sameCursor(after, stored)) this.#settled = null;
    } catch (err) {
      if (!(err instanceof BudgetExhausted)) throw err;
      cycle.budgetExhausted = true;
      this.#logExhausted();
    }
    return cycle;
  }

  /**
   * New attachments on incidents the poller knows (ours), after their own cursor (`<instance>#attachments`)
   * with the same overlap and settling as the incidents: one request when nothing was attached.
   */
  async #attachments(pollFrom: string, cycle: PollCycle): Promise<void> {
    const o = this.#o;
    const key = `${o.instance}#attachments`;
    const stored = await o.state.cursor(key);
    const overlapMs = o.overlapSeconds * 1000;
    const settled = !!stored && !!this.#attachmentsSettled && sameCursor(this.#attachmentsSettled, stored);
    let after: PollCursor =
      settled && stored
        ? stored
        : { updatedOn: stored ? glideTime(glideMs(stored.updatedOn) - overlapMs) : pollFrom, sysId: '' };
    const startedAt = this.#now();
    for (;;) {
      const rows = await this.#list('poll attachments', cycle, () =>
        o.api.GET('/api/now/attachment', {
          params: {
            query: {
              sysparm_query: keyset('table_name=incident', 'sys_created_on', after),
              sysparm_limit: o.pageSize,
            },
          },
        }),
      );
      cycle.pages++;
      if (rows.length === 0) break;
      const seen: SeenAttachment[] = rows.map((r) => ({
        sysId: str(r, 'sys_id'),
        incident: str(r, 'table_sys_id'),
        fileName: str(r, 'file_name'),
        contentType: str(r, 'content_type'),
        sizeBytes: Number(str(r, 'size_bytes')) || 0,
        sha256: /^[0-9a-f]{64}$/i.test(str(r, 'hash')) ? str(r, 'hash').toLowerCase() : null,
        createdBy: str(r, 'sys_created_by'),
        createdOn: str(r, 'sys_created_on'),
      }));
      const ours = await o.state.snapshots(o.instance, [...new Set(seen.map((a) => a.incident))]);
      const mine = seen.filter((a) => ours.has(a.incident));
      await this.#userNames(
        mine.map((a) => a.createdBy),
        cycle,
      );
      const changes = mine.map((a) => attachmentChange(a, this.#ctx()));
      if (changes.length > 0) await o.sink(changes);
      cycle.changes += changes.length;
      const last = seen[seen.length - 1]!;
      after = { updatedOn: last.createdOn, sysId: last.sysId };
      await o.state.save(key, [], after);
      if (rows.length < o.pageSize) break;
    }
    if (stored && sameCursor(after, stored) && startedAt >= glideMs(stored.updatedOn) + 2 * overlapMs)
      this.#attachmentsSettled = stored;
    else if (!stored || !sameCursor(after, stored)) this.#attachmentsSettled = null;
  }

  /** One keyset page of our incidents after `after` (inclusive of its time when `sysId` is ''). */
  async #incidentPage(after: PollCursor, cycle: PollCycle): Promise<SeenIncident[]> {
    const base = 'correlation_display=itsm-bridge';
    const rows = await this.#list('poll incidents', cycle, () =>
      this.#o.api.GET('/api/now/table/incident', {
        params: {
          query: {
            sysparm_query: keyset(base, 'sys_updated_on', after),
            sysparm_fields: INCIDENT_FIELDS,
            sysparm_limit: this.#o.pageSize,
            sysparm_display_value: 'false',
            sysparm_exclude_reference_link: true,
            sysparm_no_count: true,
          },
        },
      }),
    );
    return rows.map((r) => ({
      sysId: str(r, 'sys_id'),
      number: str(r, 'number'),
      modCount: Number(str(r, 'sys_mod_count') || '0'),
      updatedOn: str(r, 'sys_updated_on'),
      updatedBy: str(r, 'sys_updated_by'),
      fields: Object.fromEntries(
        SERVICENOW_SYNCED_COLUMNS.map((c) => [c, str(r, c)]),
      ) as SeenIncident['fields'],
    }));
  }

  /**
   * The journal entries of these incidents since each one's last handed-on entry (less the overlap), or
   * since the poll's start for an incident not seen before: one query for the batch, keyset-paged.
   */
  async #journal(
    changed: readonly SeenIncident[],
    snapshots: Map<string, IncidentSnapshot>,
    pollFrom: string,
    cycle: PollCycle,
  ): Promise<Map<string, SeenJournalEntry[]>> {
    const overlap = this.#o.overlapSeconds * 1000;
    const since = changed
      .map((r) => {
        const after = snapshots.get(r.sysId)?.journalAfter;
        return after ? glideTime(glideMs(after) - overlap) : pollFrom;
      })
      .reduce((a, b) => (b < a ? b : a));
    const base = encodedQuery`element_idIN${changed.map((r) => r.sysId)}^elementINwork_notes,comments`;
    const out = new Map<string, SeenJournalEntry[]>();
    let after: PollCursor = { updatedOn: since, sysId: '' };
    for (;;) {
      const rows = await this.#list('poll journal', cycle, () =>
        this.#o.api.GET('/api/now/table/sys_journal_field', {
          params: {
            query: {
              sysparm_query: keyset(base, 'sys_created_on', after),
              sysparm_fields: JOURNAL_FIELDS,
              sysparm_limit: this.#o.journalPageSize,
              sysparm_no_count: true,
            },
          },
        }),
      );
      for (const r of rows) {
        const element = str(r, 'element');
        if (element !== 'work_notes' && element !== 'comments') continue;
        const entry: SeenJournalEntry = {
          sysId: str(r, 'sys_id'),
          element,
          value: str(r, 'value'),
          createdOn: str(r, 'sys_created_on'),
          createdBy: str(r, 'sys_created_by'),
        };
        const id = str(r, 'element_id');
        out.set(id, [...(out.get(id) ?? []), entry]);
      }
      if (rows.length < this.#o.journalPageSize) return out;
      const last = rows[rows.length - 1]!;
      after = { updatedOn: str(last, 'sys_created_on'), sysId: str(last, 'sys_id') };
    }
  }

  /** Display names of the writers and group names, looked up once each (only when something changed). */
  async #names(
    changed: readonly SeenIncident[],
    journal: Map<string, SeenJournalEntry[]>,
    cycle: PollCycle,
  ): Promise<void> {
    const users = new Set<string>();
    for (const r of changed) {
      users.add(r.updatedBy);
      for (const j of journal.get(r.sysId) ?? []) users.add(j.createdBy);
    }
    await this.#userNames([...users], cycle);
    const refs = new Set<string>();
    for (const r of changed) {
      if (r.fields.assignment_group) refs.add(r.fields.assignment_group);
    }
    const unknownGroups = [...refs].filter((g) => !this.#groups.has(g));
    if (unknownGroups.length > 0) {
      const rows = await this.#list('look up groups', cycle, () =>
        this.#o.api.GET('/api/now/table/sys_user_group', {
          params: {
            query: { sysparm_query: encodedQuery`sys_idIN${unknownGroups}`, sysparm_fields: 'sys_id,name' },
          },
        }),
      );
      for (const r of rows) this.#groups.set(str(r, 'sys_id'), str(r, 'name'));
      for (const g of unknownGroups) if (!this.#groups.has(g)) this.#groups.set(g, g);
    }
    const assignees = changed.map((r) => r.fields.assigned_to).filter((a) => a && !this.#assignees.has(a));
    if (assignees.length > 0) {
      const rows = await this.#list('look up assignees', cycle, () =>
        this.#o.api.GET('/api/now/table/sys_user', {
          params: {
            query: {
              sysparm_query: encodedQuery`sys_idIN${[...new Set(assignees)]}`,
              sysparm_fields: 'sys_id,name',
            },
          },
        }),
      );
      for (const r of rows) this.#assignees.set(str(r, 'sys_id'), str(r, 'name'));
      for (const a of assignees) if (!this.#assignees.has(a)) this.#assignees.set(a, a);
    }
  }

  readonly #assignees = new Map<string, string>();

  /** Display names of these user names, one request for those not cached; unknown ones keep their user name. */
  async #userNames(userNames: readonly string[], cycle: PollCycle): Promise<void> {
    const unknown = [...new Set(userNames)].filter((u) => u && this.#users.get(u) === undefined);
    // A name the encoded query cannot carry keeps its user name rather than stop the poll.
    const asked = unknown.filter(isQueryValue);
    if (asked.length === 0) {
      for (const u of unknown) this.#remember(u, u);
      return;
    }
    const rows = await this.#list('look up users', cycle, () =>
      this.#o.api.GET('/api/now/table/sys_user', {
        params: {
          query: { sysparm_query: encodedQuery`user_nameIN${asked}`, sysparm_fields: 'user_name,name' },
        },
      }),
    );
    for (const r of rows) this.#remember(str(r, 'user_name'), str(r, 'name') || str(r, 'user_name'));
    for (const u of unknown) if (this.#users.get(u) === undefined) this.#remember(u, u);
  }

  #remember(userName: string, name: string): void {
    // maxKeys reached (node-cache throws ECACHEFULL): the name goes uncached until entries expire, and
    // `nameOf` falls back to the user name.
    try {
      this.#users.set(userName, name);
    } catch {
      return;
    }
  }

  /**
   * A push's writers by display name, within the reader's hourly budget. A failed or refused look-up
   * leaves the user name (the push is still taken: a name is not worth losing the change).
   */
  async #pushedNames(userNames: readonly string[]): Promise<void> {
    const cycle: PollCycle = { requests: 0, pages: 0, changes: 0, budgetExhausted: false };
    try {
      await this.#userNames(userNames, cycle);
    } catch (err) {
      this.#o.logger.debug('ServiceNow user names not looked up for a push; user names are used', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** The references as the business rule sends them: display names. */
  #resolved(r: SeenIncident): SeenIncident {
    const group = r.fields.assignment_group;
    const assignee = r.fields.assigned_to;
    return {
      ...r,
      fields: {
        ...r.fields,
        assignment_group: group ? (this.#groups.get(group) ?? group) : '',
        assigned_to: assignee ? (this.#assignees.get(assignee) ?? assignee) : '',
      },
    };
  }

  /** One list request within the budget; a failure is an IntegrationError (the poll ends, nothing saved). */
  async #list(
    operation: string,
    cycle: PollCycle,
    call: () => Promise<{ data?: { result: Row[] }; error?: unknown; response: Response }>,
  ): Promise<Row[]> {
    if (!this.#budget.take()) throw new BudgetExhausted();
    cycle.requests++;
    const out = await call().catch((err: unknown) => {
      throw fromThrown(operation, err);
    });
    if (!out.response.ok || !out.data)
      throw toIntegrationError(operation, { response: out.response, error: out.error }, this.#now());
    return out.data.result;
  }

  #ctx() {
    return {
      integrationUser: this.#o.integrationUser,
      nameOf: (u: string) => this.#users.get<string>(u) ?? u,
      overlapMs: this.#o.overlapSeconds * 1000,
    };
  }

  #logExhausted(): void {
    if (this.#exhaustedLogged) return;
    this.#exhaustedLogged = true;
    const s = this.status();
    this.#o.logger.warn('ServiceNow poll paused: the hourly request budget is spent', {
      requestsPerHour: s.budget.perHour,
      resumesAt: s.budget.exhaustedUntil?.toISOString() ?? null,
    });
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  #now(): number {
    return this.#o.transport.clock.now().getTime();
  }
}

const sameCursor = (a: PollCursor, b: PollCursor) => a.updatedOn === b.updatedOn && a.sysId === b.sysId;

/**
 * Keyset condition over (`time`, sys_id) in ascending order: from `after.updatedOn` inclusive when no
 * sys_id is given, else strictly after the pair — rows with the same second are not lost between pages.
 */
function keyset(base: string, time: string, after: PollCursor): string {
  const order = `^ORDERBY${time}^ORDERBYsys_id`;
  if (!after.sysId) return `${base}^${time}>=${encodedQuery`${after.updatedOn}`}${order}`;
  const t = encodedQuery`${after.updatedOn}`;
  const id = encodedQuery`${after.sysId}`;
  return `${base}^${time}>${t}^NQ${base}^${time}=${t}^sys_id>${id}${order}`;
}
