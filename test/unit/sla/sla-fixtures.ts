import type {
  BusinessCalendar,
  SlaDefinition,
  TicketEvent,
  TicketHistory,
  WorkWindow,
} from '../../../src/core/sla/types';

/** Epoch ms of an ISO timestamp with explicit offset, so expectations never go through the code under test. */
export const t = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad timestamp ${iso}`);
  return ms;
};

const hm = (s: string): number => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Weekly hours from `{ 1: ['09:00-17:00'] }` (0 = Sunday). */
export function weekly(spec: Partial<Record<number, string[]>>): WorkWindow[][] {
  return [0, 1, 2, 3, 4, 5, 6].map((d) =>
    (spec[d] ?? []).map((w) => {
      const [a, b] = w.split('-');
      return { start: hm(a ?? ''), end: hm(b ?? '') };
    }),
  );
}

export function calendar(
  name: string,
  timeZone: string,
  spec: Partial<Record<number, string[]>> | null,
  closed: string[] = [],
): BusinessCalendar {
  return { name, timeZone, weekly: spec === null ? null : weekly(spec), closedDates: new Set(closed) };
}

export const PAUSE = ['On Hold', 'Awaiting User Info', 'Awaiting Vendor'];
export const STOP = ['Resolved', 'Closed'];

export function resolution(
  calendarName: string,
  seconds: Partial<Record<number, number>>,
  extra: Partial<SlaDefinition> = {},
): SlaDefinition {
  const targets: SlaDefinition['targets'] = {};
  for (const [p, s] of Object.entries(seconds))
    targets[Number(p)] = { seconds: s as number, calendar: calendarName };
  return {
    id: 'resolution',
    name: 'Resolution',
    kind: 'resolution',
    targets,
    pauseStates: PAUSE,
    stopStates: STOP,
    cancelStates: ['Canceled'],
    stopOnAcknowledge: false,
    newCycleOnReopen: true,
    retroactiveStart: true,
    ...extra,
  };
}

export function response(calendarName: string, seconds: Partial<Record<number, number>>): SlaDefinition {
  return resolution(calendarName, seconds, {
    id: 'response',
    name: 'Response',
    kind: 'response',
    pauseStates: [],
    stopStates: ['Active', 'In Progress', ...PAUSE, ...STOP],
    stopOnAcknowledge: true,
    newCycleOnReopen: false,
  });
}

/** A ticket from `[iso, state, priority?, assignee?]` rows; the first row's time is the opening time. */
export function ticket(rows: [string, string, number?, string?][], id = 'T1'): TicketHistory {
  const events: TicketEvent[] = rows.map(([iso, state, priority, assignee], seq) => ({
    at: t(iso),
    seq,
    state,
    ...(priority !== undefined ? { priority } : {}),
    ...(assignee !== undefined ? { assignee } : {}),
  }));
  return { id, number: id, openedAt: events[0]?.at ?? 0, events };
}

export const H = 3600;
