import type { DatedTimelineEvent } from './handoff-facts';
import type { MonthWindow } from './report-period';
import { summarize, type Summary } from './stats';
import type { TimelineEventType } from '../incident/timeline-event';

/**
 * One incident in transition mode as the report reads it: who owned it and who shadowed it when it
 * opened, each side's first acknowledgement and how many runbook steps and notes each side did, with
 * the timeline rows behind them.
 */
export interface ShadowFact {
  owner: string;
  shadow: string;
  openedAt: number;
  ownerAck: { at: number; ref: string } | null;
  shadowAck: { at: number; ref: string } | null;
  ownerSteps: number;
  shadowSteps: number;
  ownerNotes: number;
  shadowNotes: number;
}

/** The timeline types the comparison reads (besides `opened` and `acknowledged`, read for the clocks). */
export const SHADOW_EVENT_TYPES = [
  'opened',
  'acknowledged',
  'runbook_step_done',
  'note',
  'shadow_action',
] as const satisfies readonly TimelineEventType[];

/** The comparison facts of one incident from its timeline; null when it has no shadow. */
export function shadowFact(
  incident: { shadow: string | null; provider: string; openedAt: string },
  entries: readonly DatedTimelineEvent[],
): ShadowFact | null {
  if (!incident.shadow) return null;
  const opened = entries.find((e) => e.type === 'opened');
  const fact: ShadowFact = {
    owner: opened?.type === 'opened' ? opened.data.provider : incident.provider,
    shadow: incident.shadow,
    openedAt: Date.parse(incident.openedAt),
    ownerAck: null,
    shadowAck: null,
    ownerSteps: 0,
    shadowSteps: 0,
    ownerNotes: 0,
    shadowNotes: 0,
  };
  const steps = { owner: new Set<number>(), shadow: new Set<number>() };
  for (const e of entries) {
    const mark = { at: Date.parse(e.at), ref: `timeline ${e.id}` };
    if (e.type === 'acknowledged') fact.ownerAck ??= mark;
    else if (e.type === 'runbook_step_done') steps.owner.add(e.data.step);
    else if (e.type === 'note') fact.ownerNotes++;
    else if (e.type === 'shadow_action') {
      if (e.data.action === 'acknowledged') fact.shadowAck ??= mark;
      else if (e.data.action === 'note') fact.shadowNotes++;
      else if (e.data.step !== undefined) steps.shadow.add(e.data.step);
    }
  }
  fact.ownerSteps = steps.owner.size;
  fact.shadowSteps = steps.shadow.size;
  return fact;
}

/** Who acknowledged first: the owner, the shadow, both at the same instant, or nobody yet. */
export type FirstAck = 'owner' | 'shadow' | 'tie' | null;

/** One incident opened in the month in transition mode (a row of the comparison). */
export interface ShadowIncidentRow {
  number: string;
  ticketId: string;
  owner: string;
  shadow: string;
  openedAt: string;
  ownerAckSeconds: number | null;
  shadowAckSeconds: number | null;
  first: FirstAck;
  ownerSteps: number;
  shadowSteps: number;
  ownerNotes: number;
  shadowNotes: number;
  /** Timeline rows of the two acknowledgements. */
  refs: string;
}

/** Owner and shadow compared over the incidents of one (owner, shadow) pair opened in the month. */
export interface ShadowPairRow {
  owner: string;
  shadow: string;
  incidents: number;
  ownerFirst: number;
  shadowFirst: number;
  ties: number;
  /** Seconds from opening to each side's first acknowledgement (calendar time). */
  ownerMtta: Summary;
  shadowMtta: Summary;
  ownerSteps: number;
  shadowSteps: number;
  ownerNotes: number;
  shadowNotes: number;
}

/** The transition section of the monthly report (null when no incident of the month had a shadow). */
export interface ShadowComparison {
  pairs: ShadowPairRow[];
  incidents: ShadowIncidentRow[];
}

/** Folds the transition facts of the incidents opened in the month into the comparison. */
export class ShadowAccumulator {
  private readonly rows: ShadowIncidentRow[] = [];

  constructor(
    private readonly window: MonthWindow,
    private readonly asOf: number,
  ) {}

  /** Adds one ticket; one without a shadow, or opened outside the month (or after asOf), adds nothing. */
  add(ticket: { id: string; number: string; shadow?: ShadowFact | null }): void {
    const f = ticket.shadow;
    if (!f || f.openedAt < this.window.start || f.openedAt >= this.window.end || f.openedAt > this.asOf)
      return;
    const seen = (m: { at: number; ref: string } | null) => (m && m.at <= this.asOf ? m : null);
    const o = seen(f.ownerAck);
    const s = seen(f.shadowAck);
    this.rows.push({
      number: ticket.number,
      ticketId: ticket.id,
      owner: f.owner,
      shadow: f.shadow,
      openedAt: new Date(f.openedAt).toISOString(),
      ownerAckSeconds: o ? (o.at - f.openedAt) / 1000 : null,
      shadowAckSeconds: s ? (s.at - f.openedAt) / 1000 : null,
      first: firstOf(o?.at ?? null, s?.at ?? null),
      ownerSteps: f.ownerSteps,
      shadowSteps: f.shadowSteps,
      ownerNotes: f.ownerNotes,
      shadowNotes: f.shadowNotes,
      refs: [o?.ref, s?.ref].filter(Boolean).join('; '),
    });
  }

  /** The section, or null when no incident of the month had a shadow. */
  finish(): ShadowComparison | null {
    if (this.rows.length === 0) return null;
    const incidents = this.rows.sort(
      (a, b) => a.openedAt.localeCompare(b.openedAt) || a.number.localeCompare(b.number),
    );
    const pairs = new Map<string, ShadowIncidentRow[]>();
    for (const r of incidents) {
      const key = `${r.owner}\u0000${r.shadow}`;
      pairs.set(key, [...(pairs.get(key) ?? []), r]);
    }
    return {
      pairs: [...pairs.values()].map((rows) => pairRow(rows)),
      incidents,
    };
  }
}

function firstOf(owner: number | null, shadow: number | null): FirstAck {
  if (owner === null && shadow === null) return null;
  if (shadow === null || (owner !== null && owner < shadow)) return 'owner';
  if (owner === null || shadow < owner) return 'shadow';
  return 'tie';
}

function pairRow(rows: ShadowIncidentRow[]): ShadowPairRow {
  const sum = (f: (r: ShadowIncidentRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const times = (f: (r: ShadowIncidentRow) => number | null) =>
    summarize(rows.flatMap((r) => (f(r) === null ? [] : [f(r) as number])));
  const first = rows[0]!;
  return {
    owner: first.owner,
    shadow: first.shadow,
    incidents: rows.length,
    ownerFirst: rows.filter((r) => r.first === 'owner').length,
    shadowFirst: rows.filter((r) => r.first === 'shadow').length,
    ties: rows.filter((r) => r.first === 'tie').length,
    ownerMtta: times((r) => r.ownerAckSeconds),
    shadowMtta: times((r) => r.shadowAckSeconds),
    ownerSteps: sum((r) => r.ownerSteps),
    shadowSteps: sum((r) => r.shadowSteps),
    ownerNotes: sum((r) => r.ownerNotes),
    shadowNotes: sum((r) => r.shadowNotes),
  };
}
