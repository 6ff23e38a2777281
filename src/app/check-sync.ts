import type { SyncConfig } from '../config/sync';
import {
  contentHash,
  jiraStatusMatches,
  statusesNamedBesides,
  toJiraStatus,
  toServiceNowState,
} from '../core/sync/sync-policy';
import type { Clock } from '../ports/clock';
import type { IncidentRecord, Store } from '../ports/store';
import type { SyncState, TicketSystem } from '../ports/ticket-system';
import { enqueueSyncWrite } from './enqueue-ticket-commands';
import { contentDrift, type ContentCheckDeps, type ContentDrift } from './check-sync-content';
import { ticketRef } from './run-ticket-command';

export interface CheckSyncDeps {
  store: Pick<Store, 'sync' | 'unitOfWork'>;
  systems: { servicenow: TicketSystem; jira: TicketSystem };
  sync: Pick<SyncConfig, 'toJira' | 'toServiceNow' | 'closeCode'>;
  clock: Clock;
  /** Comments and attachments against the ledger too (without it: states only). */
  content?: Omit<ContentCheckDeps, 'store'> & {
    /** Requests the comparison may send in one run (five per pair and a few per attachment compared). */
    requestBudget: number;
  };
}

/** What differs: the lifecycle, or a comment or attachment whose copy is missing. */
export type DriftKind = 'state' | 'comment' | 'attachment';

/** One linked pair out of step, what is wrong and the write that would repair it. */
export interface DriftedPair {
  kind: DriftKind;
  incidentId: number;
  servicenow: string;
  jira: string;
  problem: string;
  repair: (Omit<ContentDrift['repair'], 'marks'> & { marks?: ContentDrift['repair']['marks'] }) | null;
  /** Queued by this run. */
  repaired: boolean;
  /** Its repair was queued by an earlier run (and is not queued twice); the copy has not arrived yet. */
  queuedBefore?: boolean;
}

export interface SyncCheckReport {
  pairs: number;
  /** One entry per difference (a pair may have several). */
  drifted: DriftedPair[];
  /** Pairs whose comments and attachments were not compared: the request budget was spent. */
  contentSkipped: number;
}

/** Pairs with a difference left (not repaired by this run): what `itsm_sync_drifted_pairs` shows. */
export const driftedPairs = (r: SyncCheckReport): number =>
  new Set(r.drifted.filter((d) => !d.repaired).map((d) => d.incidentId)).size;

const PAGE = 200;

/**
 * The drift check: every linked pair opened since `since`, its ServiceNow lifecycle against its Jira
 * status through the mapping tables. A ServiceNow state the `toJira` table sends to a named status or
 * to done (On Hold, Resolved, Closed, Canceled) must be there in Jira; a Jira done must be Resolved (or
 * later) in ServiceNow. Jira's own workflow between To Do and In Progress is Jira's and not drift. With
 * `repair`, the owner's side is written to the other through the outbox, with its echo ledger entry.
 */
export async function checkSync(
  deps: CheckSyncDeps,
  o: { since: string; repair: boolean },
): Promise<SyncCheckReport> {
  const drifted: DriftedPair[] = [];
  let pairs = 0;
  let contentSkipped = 0;
  const budget = { left: deps.content?.requestBudget ?? 0 };
  for (let after = 0; ;) {
    const page = await deps.store.sync.linkedPairs(o.since, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const incident of page) {
      pairs += 1;
      const found = await checkPair(deps, incident, budget);
      if (found === null) continue;
      if (found.skipped) contentSkipped += 1;
      for (const d of found.drifted)
        drifted.push(o.repair && d.repair ? await repaired(deps, incident, d) : d);
    }
    if (page.length < PAGE) break;
  }
  return { pairs, drifted, contentSkipped };
}

async function checkPair(
  deps: CheckSyncDeps,
  incident: IncidentRecord,
  budget: { left: number },
): Promise<{ drifted: DriftedPair[]; skipped: boolean } | null> {
  const snRef = ticketRef(incident.tickets, 'servicenow');
  const jiraRef = ticketRef(incident.tickets, 'jira');
  if (!snRef || !jiraRef) return null;
  const [sn, jira] = await Promise.all([
    deps.systems.servicenow.syncState(snRef),
    deps.systems.jira.syncState(jiraRef),
  ]);
  const base = { incidentId: incident.id, servicenow: snRef.key, jira: jiraRef.key, repaired: false };
  if (!sn || !jira) {
    const gone = `${sn ? jiraRef.key : snRef.key} no longer exists`;
    return { drifted: [{ ...base, kind: 'state', problem: gone, repair: null }], skipped: false };
  }
  const state = lifecycleDrift(deps.sync, sn, jira, { ...base, kind: 'state' });
  const drifted = state ? [state] : [];
  if (!deps.content) return { drifted, skipped: false };
  const content = await contentDrift(
    { ...deps.content, store: deps.store },
    incident,
    { servicenow: snRef, jira: jiraRef },
    budget,
  );
  for (const c of content ?? []) drifted.push({ ...base, ...c });
  return { drifted, skipped: content === null };
}

function lifecycleDrift(
  cfg: CheckSyncDeps['sync'],
  sn: SyncState,
  jira: SyncState,
  base: Omit<DriftedPair, 'problem' | 'repair'>,
): DriftedPair | null {
  const state = sn.state ?? '';
  const category = jira.category ?? null;
  const status = jira.status ?? null;
  const closed = ['6', '7', '8'].includes(state);
  const back = toServiceNowState(cfg.toServiceNow, status, category);
  if (category === 'done' && back?.state === '6' && !closed)
    return {
      ...base,
      problem: `Jira ${base.jira} is ${status ?? 'done'} but ServiceNow ${base.servicenow} is in state ${state}`,
      repair: {
        system: 'servicenow',
        write: {
          type: 'state',
          state: '6',
          holdReason: null,
          closeCode: cfg.closeCode,
          closeNotes: `Resolved in Jira ${base.jira} (itsm-bridge sync check)`,
        },
        item: 'state',
        content: '6',
      },
    };
  const row = toJiraStatus(cfg.toJira, state, sn.holdReason ?? null);
  if (!row || (row.status === undefined && row.category !== 'done')) return null;
  const besides = statusesNamedBesides(cfg.toJira, row);
  if (jiraStatusMatches(row, status, category, besides)) return null;
  const want = row.status ?? `a ${String(row.category)} status`;
  return {
    ...base,
    problem: `ServiceNow ${base.servicenow} is in state ${state} (mapped to ${want}) but Jira ${base.jira} is ${status ?? 'unknown'}`,
    repair: {
      system: 'jira',
      write: {
        type: 'transition',
        status: row.status ?? null,
        category: row.status ? null : (row.category ?? null),
        ...(besides.length > 0 ? { besides } : {}),
      },
      item: row.status ? 'status' : 'statusCategory',
      content: row.status ?? row.category ?? '',
    },
  };
}

async function repaired(deps: CheckSyncDeps, incident: IncidentRecord, d: DriftedPair): Promise<DriftedPair> {
  const r = await repair(deps, incident, d);
  return r === 'before' ? { ...d, queuedBefore: true } : { ...d, repaired: r };
}

/** The repair as a sync command with its ledger entry and an audit record, in one transaction. */
async function repair(
  deps: CheckSyncDeps,
  incident: IncidentRecord,
  d: DriftedPair,
): Promise<boolean | 'before'> {
  const r = d.repair;
  if (!r) return false;
  const now = deps.clock.now().toISOString();
  const record = r.system === 'servicenow' ? incident.tickets.servicenow?.sys_id : incident.tickets.jira?.key;
  if (!record) return false;
  return deps.store.unitOfWork(async (uow): Promise<boolean | 'before'> => {
    // A repair is queued once: a second run (before the first one's copy arrived) queues nothing.
    const [own, ...rest] = r.marks ?? [];
    if (own && !(await uow.sync.markProcessed({ ...own, at: now }))) return 'before';
    for (const m of rest) await uow.sync.markProcessed({ ...m, at: now });
    await enqueueSyncWrite(uow, {
      incidentId: incident.id,
      lane: r.system,
      payload: { write: r.write },
      now,
    });
    await uow.sync.recordEcho({
      system: r.system,
      record,
      item: r.item,
      contentHash: contentHash(r.content),
      commandId: null,
      createdAt: now,
    });
    await uow.audit.append({
      at: now,
      actor: 'job:sync-check',
      action: 'sync.repaired',
      subject: `incident:${incident.id}`,
      data: { problem: d.problem, system: r.system, kind: d.kind },
    });
    return true;
  });
}
