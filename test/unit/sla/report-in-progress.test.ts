import { buildSlaReport } from '../../../src/app/build-sla-report';
import { SlaConfig } from '../../../src/config/sla';
import type { TicketHistory } from '../../../src/core/sla/types';
import type { TicketSource } from '../../../src/ports/ticket-source';
import { renderCsv } from '../../../src/report/render-csv';
import { renderHtml } from '../../../src/report/render-html';
import { renderMarkdown } from '../../../src/report/render-markdown';

// 1 December 2026, 12:00 Berlin (11:00 UTC): a P3 incident opened two minutes earlier.
const NOW = new Date('2026-12-01T11:00:00Z');
const fresh: TicketHistory = {
  id: 'INC9000001',
  number: 'INC9000001',
  openedAt: Date.parse('2026-12-01T10:58:00Z'),
  events: [{ at: Date.parse('2026-12-01T10:58:00Z'), seq: 0, state: 'New', priority: 3, assignee: 'infra' }],
};
const source = (tickets: TicketHistory[]): TicketSource => ({
  name: 'test',
  async *tickets() {
    yield* tickets;
  },
});

const build = (month: string) =>
  buildSlaReport({ month, config: SlaConfig.parse({}), source: source([fresh]), clock: { now: () => NOW } });

describe('the report of the month in progress', () => {
  it('evaluates open tickets at now, not at the end of the month', async () => {
    const report = await build('2026-12');
    expect(report.asOf).toBe(NOW.toISOString());
    expect(report.monthInProgress).toBe(true);
    const records = report.records.filter((r) => r.number === 'INC9000001');
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.elapsedWallSeconds).toBe(120);
      expect(r.breached).toBe(false);
      expect(r.breachedAt).toBeNull();
    }
    expect(report.breaches).toEqual([]);
  });

  it('says so in every text format', async () => {
    const report = await build('2026-12');
    const note = /month in progress: figures as of 2026-12-01 12:00 \(Europe\/Berlin\)/i;
    expect(renderHtml(report)).toMatch(note);
    expect(renderMarkdown(report)).toMatch(note);
    const [header, row] = renderCsv(report).split('\r\n');
    expect(header?.split(',').slice(-2)).toEqual(['asOf', 'monthInProgress']);
    expect(row?.split(',').slice(-2)).toEqual([NOW.toISOString(), 'true']);
  });

  it('evaluates a past month at its end and says it is complete', async () => {
    const report = await build('2026-11');
    expect(report.monthInProgress).toBe(false);
    expect(report.asOf).toBe(report.period.end);
    expect(renderHtml(report)).not.toMatch(/month in progress/i);
  });
});
