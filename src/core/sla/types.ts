import type { HandoffFact } from './handoff-ola';
import type { ShadowFact } from './shadow-comparison';

/**
 * Data shapes of the SLA engine. Plain data only: sources build TicketHistory values, the engine returns
 * SlaRecord values, and every figure of the monthly report is derived from those records.
 */

/** One update of a ticket. Fields left undefined did not change (or are unknown) at that update. */
export interface TicketEvent {
  /** Epoch milliseconds (UTC) of the update, as recorded by the ticket system. */
  at: number;
  /** Tie-breaker for updates within the same instant (ServiceNow `sys_mod_count`, our timeline id). */
  seq?: number;
  /**
   * Revision counter of the record after this update (ServiceNow `sys_mod_count`), where the source has
   * one. Updates whose revision does not increase with time are out-of-order copies (see ticket-timeline.ts).
   */
  version?: number;
  /** Where the update came from, for `sla explain`: `line 359` of a CSV, a sys_audit or timeline id. */
  ref?: string;
  /** ServiceNow's own verdict (`made_sla`) as of this update, where the source records it per update. */
  externalMadeSla?: boolean | null;
  state?: string;
  priority?: number | null;
  /** Who holds the ticket after this update: provider or assignment group. */
  assignee?: string | null;
  /** A human acknowledged the ticket (stops response clocks that ask for it). */
  acknowledged?: boolean;
}

/** A ticket with its full update history, as delivered by a TicketSource. */
export interface TicketHistory {
  /** Stable id in the source (sys_id, incident number, our ticket id). */
  id: string;
  /** Human key shown in reports (INC0000045, PROJ-12). */
  number: string;
  /** When the SLA clocks start: ServiceNow `opened_at`, our incident creation. Epoch ms. */
  openedAt: number;
  /** Updates in any order; the engine sorts them by (at, seq). */
  events: TicketEvent[];
  branch?: string | null;
  service?: string | null;
  category?: string | null;
  /**
   * ServiceNow's own verdict (`made_sla`) for sources that know only its current value; sources with one
   * value per update put it on the events instead (see `externalMadeSlaAsOf`). null when unknown.
   */
  externalMadeSla?: boolean | null;
  /**
   * Provider hand-offs of the ticket, for the OLA figures; only the bridge's own store knows them, so
   * other sources leave the field out and the report has no hand-off section.
   */
  handoffs?: HandoffFact[];
  /** Transition mode: owner and shadow compared (the store source; null or absent otherwise). */
  shadow?: ShadowFact | null;
}

/** Working time on one weekday: minutes after local midnight, [start, end), end may be 1440. */
export interface WorkWindow {
  start: number;
  end: number;
}

/** A calendar with its holidays already resolved to local dates, so the core never needs a holiday library. */
export interface BusinessCalendar {
  name: string;
  /** IANA zone in which the weekly hours and the closed dates are meant. */
  timeZone: string;
  /** Index 0 = Sunday … 6 = Saturday; null means 24×7 (no closures apply). */
  weekly: WorkWindow[][] | null;
  /** Local dates `YYYY-MM-DD` without working time: public holidays and extra closure days. */
  closedDates: ReadonlySet<string>;
}

export type SlaKind = 'response' | 'resolution';

/** Target for one priority: how much calendar time is allowed, counted on which calendar. */
export interface SlaTarget {
  seconds: number;
  calendar: string;
}

/** An SLA definition (ServiceNow contract_sla, a JSM time metric). States are compared case-insensitively. */
export interface SlaDefinition {
  id: string;
  name: string;
  kind: SlaKind;
  /** Targets keyed by priority 1..5; a priority without target yields a record without verdict. */
  targets: Partial<Record<number, SlaTarget>>;
  pauseStates: string[];
  stopStates: string[];
  /** States that cancel the running cycle (it is then excluded from compliance). */
  cancelStates: string[];
  /** Stop when an event carries `acknowledged: true`. */
  stopOnAcknowledge: boolean;
  /** After a stop, a state outside stop/cancel starts a new cycle (JSM "multiple cycles", reopen). */
  newCycleOnReopen: boolean;
  /** ServiceNow retroactive start: on a priority change the clock keeps the cycle start (and its pauses). */
  retroactiveStart: boolean;
}

export type SlaStage = 'completed' | 'cancelled' | 'running' | 'paused';

/** One cycle of one SLA definition on one ticket; every report figure is computed from these. */
export interface SlaRecord {
  ticketId: string;
  number: string;
  definitionId: string;
  kind: SlaKind;
  /** 1 for the first cycle, 2 after the first reopen, … */
  cycle: number;
  priority: number | null;
  targetSeconds: number | null;
  calendar: string | null;
  /** Epoch ms when this clock started (after retroactive-start rules). */
  startedAt: number;
  /** Epoch ms when it stopped or was cancelled; null while running or paused at `asOf`. */
  stoppedAt: number | null;
  stage: SlaStage;
  elapsedWallSeconds: number;
  elapsedBusinessSeconds: number;
  pausedWallSeconds: number;
  pausedBusinessSeconds: number;
  /** null when there is no target for the priority. */
  breached: boolean | null;
  /** Instant at which business elapsed time reached the target. */
  breachedAt: number | null;
  /** Projected breach time for a running, not yet breached clock. */
  dueAt: number | null;
  timeLeftBusinessSeconds: number | null;
  /** Business seconds the clock ran while each assignee held the ticket. */
  heldBy: Record<string, number>;
  /** Assignee holding the ticket at the breach instant (attribution). */
  breachHolder: string | null;
}

/** Label used when a ticket had no assignee. */
export const UNASSIGNED = '(unassigned)';
