import fc from 'fast-check';
import { createSlaEngine, evaluateTicket } from '../../../src/core/sla/evaluate-ticket';
import type { TicketEvent, TicketHistory } from '../../../src/core/sla/types';
import { calendar, H, resolution, response, t } from './sla-fixtures';

const BASE = t('2026-03-20T00:00:00+01:00'); // spans the spring DST change
const SPAN = 21 * 24 * H * 1000;
const CALENDAR = calendar(
  'cal',
  'Europe/Berlin',
  {
    1: ['08:00-12:00', '13:00-18:00'],
    2: ['08:00-18:00'],
    4: ['07:30-16:00'],
    0: ['01:00-05:00'],
  },
  ['2026-03-27'],
);
const H24 = calendar('24x7', 'Europe/Berlin', null);
const TARGETS = { 1: 2 * H, 2: 6 * H, 3: 16 * H, 4: 40 * H };
const makeEngine = (retroactiveStart: boolean) =>
  createSlaEngine(
    [
      response('cal', TARGETS),
      resolution('cal', TARGETS, { retroactiveStart }),
      resolution('24x7', TARGETS, { id: 'wall', retroactiveStart }),
    ],
    [CALENDAR, H24],
  );
// Built once: timelines cache their materialised days, as they do across the tickets of a report.
const ENGINES = { true: makeEngine(true), false: makeEngine(false) };
const engineFor = (retro: boolean) => ENGINES[`${retro}`];
const ASOF = BASE + SPAN;

const STATES = ['New', 'Active', 'On Hold', 'Awaiting User Info', 'Resolved', 'Closed', 'Canceled'];
const eventArb = fc.record({
  at: fc.integer({ min: 0, max: SPAN / 60000 }).map((m) => BASE + m * 60000),
  state: fc.constantFrom(...STATES),
  priority: fc.integer({ min: 1, max: 4 }),
  assignee: fc.constantFrom('A', 'B', 'C'),
});
const ticketArb = fc.array(eventArb, { minLength: 1, maxLength: 12 }).map((evs): TicketHistory => ({
  id: 'P',
  number: 'P',
  openedAt: Math.min(...evs.map((e) => e.at)),
  events: evs.map((e, seq) => ({ ...e, seq })),
}));

describe('SLA engine properties', () => {
  it('business time never exceeds wall-clock time', () => {
    fc.assert(
      fc.property(ticketArb, fc.boolean(), (tk, retro) => {
        for (const r of evaluateTicket(tk, engineFor(retro), ASOF)) {
          expect(r.elapsedBusinessSeconds).toBeLessThanOrEqual(r.elapsedWallSeconds + 1e-9);
          expect(r.pausedBusinessSeconds).toBeLessThanOrEqual(r.pausedWallSeconds + 1e-9);
          const end = r.stoppedAt ?? ASOF;
          expect(r.elapsedWallSeconds + r.pausedWallSeconds).toBeLessThanOrEqual(
            (end - r.startedAt) / 1000 + 1e-9,
          );
          if (r.calendar === '24x7') expect(r.elapsedBusinessSeconds).toBe(r.elapsedWallSeconds);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the order in which updates arrive does not matter', () => {
    fc.assert(
      fc.property(ticketArb, fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (tk, rnd) => {
        const shuffled = tk.events
          .map((e) => ({ e, k: rnd.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        const engine = engineFor(true);
        expect(evaluateTicket({ ...tk, events: shuffled }, engine, ASOF)).toEqual(
          evaluateTicket(tk, engine, ASOF),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('inserting a pause never reduces the time left', () => {
    const working = fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: SPAN / 60000 }).map((m) => BASE + m * 60000),
        state: fc.constantFrom('New', 'Active', 'Awaiting Vendor'),
        priority: fc.integer({ min: 1, max: 4 }),
      }),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(
        working,
        fc.integer({ min: 0, max: SPAN / 60000 }),
        fc.integer({ min: 1, max: 5 * 24 * 60 }),
        fc.boolean(),
        (evs, p, len, retro) => {
          const events: TicketEvent[] = evs.map((e, seq) => ({ ...e, seq }));
          const tk: TicketHistory = {
            id: 'P',
            number: 'P',
            openedAt: Math.min(...events.map((e) => e.at)),
            events,
          };
          const from = BASE + p * 60000;
          const to = Math.min(from + len * 60000, ASOF);
          // Updates inside [from, to) keep their priority and assignee but show On Hold; the state in force at
          // `to` before the insertion is restored there, so nothing but the pause changes.
          const sorted = [...events].sort((a, b) => a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0));
          const before = sorted.filter((e) => e.at <= to).pop() ?? sorted[0];
          const paused: TicketHistory = {
            ...tk,
            events: [
              ...events.map((e) => (e.at >= from && e.at < to ? { ...e, state: 'On Hold' } : e)),
              { at: from, seq: -1, state: 'On Hold' },
              { at: to, seq: 1000, state: before?.state ?? 'New' },
            ],
          };
          const engine = engineFor(retro);
          const plain = evaluateTicket(tk, engine, ASOF).filter((r) => r.kind === 'resolution');
          const withPause = evaluateTicket(paused, engine, ASOF).filter((r) => r.kind === 'resolution');
          for (const r of plain) {
            const q = withPause.find((x) => x.definitionId === r.definitionId && x.cycle === r.cycle);
            if (r.timeLeftBusinessSeconds === null || !q || q.priority !== r.priority) continue;
            expect(q.timeLeftBusinessSeconds).toBeGreaterThanOrEqual((r.timeLeftBusinessSeconds ?? 0) - 1e-9);
            if (r.breached === false) expect(q.breached).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
