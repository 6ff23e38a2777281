import { incidentTicketSource } from '../../../src/app/incident-ticket-source';
import type {
  IncidentHistories,
  IncidentHistory,
  IncidentRecord,
  TimelineEntry,
} from '../../../src/ports/store';

const at = (m: number) => new Date(Date.parse('2026-11-02T08:00:00.000Z') + m * 60_000).toISOString();

const incident = {
  id: 1,
  key: 'ib-1',
  openedAt: at(0),
  priority: 2,
  provider: 'app',
  branch: 'muc-01',
  service: null,
  rule: 'spooler',
  tickets: { servicenow: { number: 'INC0010001', sys_id: 'x', url: 'u' } },
} as Pick<
  IncidentRecord,
  'id' | 'key' | 'openedAt' | 'priority' | 'provider' | 'branch' | 'service' | 'rule' | 'tickets'
>;

const entry = (id: number, minute: number, e: Pick<TimelineEntry, 'type' | 'data'>): TimelineEntry =>
  ({ id, incidentId: 1, at: at(minute), actor: 'api', reason: '', alertId: null, ...e }) as TimelineEntry;

/** Histories from memory, one page, for the source under test. */
const histories = (entries: TimelineEntry[]): IncidentHistories => ({
  async *pages() {
    yield [{ incident: incident as IncidentRecord, entries } satisfies IncidentHistory];
  },
});

describe('the store as an SLA ticket source', () => {
  it('hands the clocks to the receiving provider from the accepted hand-off on', async () => {
    const source = incidentTicketSource(
      histories([
        entry(1, 0, {
          type: 'opened',
          data: { dedupKey: 'k', groupKey: 'g', provider: 'infra', priority: 2, previousIncidentId: null },
        }),
        entry(2, 10, {
          type: 'handoff_offered',
          data: { handoffId: 1, from: 'infra', to: 'app', deadline: at(25) },
        }),
        entry(3, 12, { type: 'handoff_accepted', data: { handoffId: 1, from: 'infra', to: 'app' } }),
        entry(4, 30, { type: 'resolved', data: {} }),
      ]),
    );
    const tickets = [];
    for await (const t of source.tickets({ from: new Date(at(-60)), to: new Date(at(60)) })) tickets.push(t);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ number: 'INC0010001', branch: 'muc-01', category: 'spooler' });
    expect(tickets[0]!.events).toEqual([
      { at: Date.parse(at(0)), seq: 1, ref: 'timeline 1', state: 'New', priority: 2, assignee: 'infra' },
      { at: Date.parse(at(12)), seq: 3, ref: 'timeline 3', assignee: 'app' },
      { at: Date.parse(at(30)), seq: 4, ref: 'timeline 4', state: 'Resolved' },
    ]);
  });
});
