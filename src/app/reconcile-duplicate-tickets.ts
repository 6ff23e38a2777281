import type { NewAuditEntry } from '../ports/audit-log';
import type { Clock } from '../ports/clock';
import type { IncidentReads, IncidentTickets } from '../ports/incidents';
import type { Logger } from '../ports/logger';
import { leaderOnly } from './leader-gate';
import type { DuplicateTickets, TicketRef } from '../ports/ticket-system';

export interface ReconcileDuplicatesDeps {
  incidents: Pick<IncidentReads, 'list'>;
  system: DuplicateTickets;
  clock: Clock;
  logger: Logger;
  /** Incidents opened this long ago (seconds) or later are checked; older ones had their chance. */
  lookbackSeconds: number;
  /**
   * Appends to the audit log (its own transaction): a closed twin is a change to a ticket. Written right
   * after the remote change; should it fail, the error log line names the twin instead.
   */
  audit: (entry: NewAuditEntry) => Promise<void>;
}

/** What one pass did, for the log and the chaos suite's figures. */
export interface ReconcileResult {
  checked: number;
  closed: { incidentKey: string; duplicate: string; kept: string }[];
  failed: number;
}

const PAGE = 100;

/**
 * Finds tickets created twice for one incident and closes the extra ones in favour of the ticket the
 * store references (the store is the source of truth; DESIGN.md §6). They arise when the remote applied a
 * create whose answer never reached our commit (a crash, a lost answer) and its search had not indexed the
 * first ticket yet when the retry looked for it — Jira's search is eventually consistent, and ServiceNow
 * runs a queued create even after the client stopped waiting, so the create path alone cannot rule this
 * out. One failing incident does not stop the pass; the next pass retries it.
 */
export async function reconcileDuplicateTickets(deps: ReconcileDuplicatesDeps): Promise<ReconcileResult> {
  const since = deps.clock.now().getTime() - deps.lookbackSeconds * 1000;
  const result: ReconcileResult = { checked: 0, closed: [], failed: 0 };
  const ticketOf = (t: IncidentTickets): TicketRef | null => {
    if (deps.system.name === 'jira')
      return t.jira ? { id: t.jira.id ?? t.jira.key, key: t.jira.key, url: t.jira.url } : null;
    return t.servicenow ? { id: t.servicenow.sys_id, key: t.servicenow.number, url: t.servicenow.url } : null;
  };
  let before: number | undefined;
  for (;;) {
    const page = await deps.incidents.list({ limit: PAGE, ...(before === undefined ? {} : { before }) });
    for (const inc of page) {
      if (Date.parse(inc.openedAt) < since) return result;
      const keep = ticketOf(inc.tickets);
      if (!keep) continue;
      result.checked++;
      try {
        for (const dup of await deps.system.duplicatesOf(inc.key, inc.provider, keep)) {
          await deps.system.closeAsDuplicate(dup, keep, inc.key);
          result.closed.push({ incidentKey: inc.key, duplicate: dup.key, kept: keep.key });
          const data = { system: deps.system.name, duplicate: dup.key, kept: keep.key };
          await deps
            .audit({
              at: deps.clock.now().toISOString(),
              actor: 'job:duplicate-check',
              action: 'ticket.duplicate_closed',
              subject: `incident:${inc.id}`,
              data,
            })
            .catch((err: unknown) =>
              deps.logger.error('closed a duplicate ticket but could not audit it', {
                incident: inc.id,
                ...data,
                error: err instanceof Error ? err.message : String(err),
              }),
            );
          deps.logger.warn('closed a duplicate ticket', { incident: inc.id, ...data });
        }
      } catch (err) {
        result.failed++;
        deps.logger.warn('duplicate check failed; retried on the next pass', {
          system: deps.system.name,
          incident: inc.id,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    if (page.length < PAGE) return result;
    before = page[page.length - 1]!.id;
  }
}

/**
 * Runs a pass every `intervalMs` (never two at once) until stopped, on the leader only when `leading`
 * is given: two instances would search the same tickets and close each duplicate twice. A pass that
 * throws is logged and the next one starts on time.
 */
export function startDuplicateReconciler(
  deps: ReconcileDuplicatesDeps,
  intervalMs: number,
  leading?: () => Promise<boolean>,
): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const pass = leaderOnly(
    { leading, logger: deps.logger, job: `${deps.system.name} duplicate check` },
    async () => {
      await reconcileDuplicateTickets(deps);
    },
  );
  const timer = setInterval(() => {
    if (running) return;
    running = pass()
      .catch((err: unknown) =>
        deps.logger.warn('duplicate reconciliation failed', {
          system: deps.system.name,
          error: err instanceof Error ? err.message : String(err),
        }),
      )
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
