import type { SlaReport } from '../../../src/core/sla/report-model';
import { CsvTicketSource } from '../../../src/sla/csv-ticket-source';
import { DATASET, datasetReport, datasetRows, utc, type Row } from './dataset';

// March 2016 in Europe/Berlin: CET until the DST change on 27 March, so it ends at 22:00 UTC.
const START = Date.parse('2016-02-29T23:00:00Z');
const END = Date.parse('2016-03-31T22:00:00Z');
const STOP = new Set(['Resolved', 'Closed']);

/**
 * The longest run of rows whose sys_mod_count strictly increases with time (quadratic dynamic
 * programming, unlike the engine's patience sort): rows outside it are out-of-order copies.
 */
function inOrder(rs: Row[]): Row[] {
  const mod = rs.map((r) => Number(r.sys_mod_count));
  const len = mod.map(() => 1);
  const prev = mod.map(() => -1);
  for (let i = 0; i < mod.length; i++)
    for (let j = 0; j < i; j++)
      if ((mod[j] ?? 0) < (mod[i] ?? 0) && (len[j] ?? 0) + 1 > (len[i] ?? 0)) {
        len[i] = (len[j] ?? 0) + 1;
        prev[i] = j;
      }
  let i = len.indexOf(Math.max(...len));
  const keep: Row[] = [];
  for (; i >= 0; i = prev[i] ?? -1) keep.unshift(rs[i] as Row);
  return keep;
}

/** Per incident: rows sorted by update time and sys_mod_count, out-of-order copies dropped. */
function incidents(rows: Row[]): Map<string, Row[]> {
  const by = new Map<string, Row[]>();
  for (const r of rows) by.set(r.number ?? '', [...(by.get(r.number ?? '') ?? []), r]);
  for (const [n, rs] of by) {
    rs.sort(
      (a, b) =>
        utc(a.sys_updated_at ?? '') - utc(b.sys_updated_at ?? '') ||
        Number(a.sys_mod_count) - Number(b.sys_mod_count),
    );
    by.set(n, inOrder(rs));
  }
  return by;
}

describe('SLA report from the real ServiceNow export (2016-03)', () => {
  let report: SlaReport;
  let byNumber: Map<string, Row[]>;
  beforeAll(async () => {
    report = await datasetReport();
    byNumber = incidents(datasetRows());
  });

  it('imports every row of the file into 890 incidents', async () => {
    const skipped: number[] = [];
    const source = new CsvTicketSource({ file: DATASET, onSkippedRow: (line) => skipped.push(line) });
    let tickets = 0;
    let events = 0;
    for await (const t of source.tickets({ from: new Date(0), to: new Date(END) })) {
      tickets++;
      events += t.events.length;
    }
    expect(skipped).toEqual([]);
    expect(tickets).toBe(890);
    expect(events).toBe(5998);
  });

  it('counts resolved-in-month and open-at-month-end tickets as an independent pass over the rows does', () => {
    let resolved = 0;
    let open = 0;
    for (const rs of byNumber.values()) {
      // A resolution happens at a stop-state row whose predecessor was not stopped (or at the first row).
      const stops = rs.filter(
        (r, i) => STOP.has(r.incident_state ?? '') && (i === 0 || !STOP.has(rs[i - 1]?.incident_state ?? '')),
      );
      if (stops.some((r) => utc(r.sys_updated_at ?? '') >= START && utc(r.sys_updated_at ?? '') < END))
        resolved++;
      const asOfEnd = rs.filter((r) => utc(r.sys_updated_at ?? '') <= END).pop();
      if (utc(rs[0]?.opened_at ?? '') <= END && !STOP.has(asOfEnd?.incident_state ?? 'New')) open++;
    }
    expect(report.totals.resolved).toBe(resolved);
    expect(report.totals.openAtMonthEnd).toBe(open);
    expect(resolved).toBeGreaterThan(700);
    expect(report.volumes.byPriority.reduce((s, c) => s + c.count, 0)).toBe(report.totals.tickets);
    expect(report.volumes.byBranch.reduce((s, c) => s + c.count, 0)).toBe(report.totals.tickets);
  });

  it('computes INC0000549 by hand: response 47 min, resolution 74 min with a 10 h 53 min business pause', () => {
    const recs = report.records.filter((r) => r.number === 'INC0000549');
    const response = recs.find((r) => r.kind === 'response');
    const resolution = recs.find((r) => r.kind === 'resolution');
    // Opened Tue 1 Mar 09:22 UTC (10:22 Berlin); Active 10:09 UTC; awaiting user 10:34 UTC → 2 Mar 11:27 UTC; resolved 11:29.
    expect(response).toMatchObject({
      priority: 3,
      targetSeconds: 7200,
      elapsedBusinessSeconds: 47 * 60,
      breached: false,
      status: 'resolved',
    });
    expect(resolution).toMatchObject({
      elapsedBusinessSeconds: 74 * 60,
      // Business pause: 1 Mar 11:34–18:00 Berlin (6 h 26) + 2 Mar 08:00–12:27 Berlin (4 h 27).
      pausedBusinessSeconds: (10 * 60 + 53) * 60,
      pausedWallSeconds: (24 * 60 + 53) * 60,
      stoppedAt: '2016-03-02T11:29:00.000Z',
      breached: false,
      externalMadeSla: true,
      branch: 'Location 161',
    });
  });

  it('lists every breach with actual time above target and counts compliance from the records', () => {
    expect(report.breaches.length).toBe(report.totals.breaches);
    for (const b of report.breaches) expect(b.actualBusinessSeconds).toBeGreaterThan(b.targetSeconds);
    for (const c of report.compliance) {
      const recs = report.records.filter(
        (r) =>
          r.status === 'resolved' &&
          r.definitionId === c.definitionId &&
          (c.priority === null || r.priority === c.priority) &&
          r.breached !== null &&
          r.stage === 'completed',
      );
      expect(c.total).toBe(recs.length);
      expect(c.breached).toBe(recs.filter((r) => r.breached).length);
    }
  });

  it('derives MTTR median and p90 from the per-record calendar times', () => {
    const walls = report.records
      .filter((r) => r.kind === 'resolution' && r.status === 'resolved' && r.stage === 'completed')
      .map((r) => (Date.parse(r.stoppedAt ?? '') - Date.parse(r.startedAt)) / 1000)
      .sort((a, b) => a - b);
    const mid = walls.length / 2;
    const median =
      walls.length % 2 ? walls[Math.floor(mid)] : ((walls[mid - 1] ?? 0) + (walls[mid] ?? 0)) / 2;
    expect(report.mttr.wall.count).toBe(walls.length);
    expect(report.mttr.wall.median).toBe(median);
    expect(report.mttr.wall.p90).toBe(walls[Math.ceil(walls.length * 0.9) - 1]);
  });

  it("compares our verdict with ServiceNow's made_sla on every resolved ticket", () => {
    const a = report.agreement;
    expect(a?.compared).toBe(report.totals.resolved);
    expect((a?.bothMet ?? 0) + (a?.bothBreached ?? 0)).toBe(a?.agree);
    expect((a?.agree ?? 0) + (a?.onlyOursBreached ?? 0) + (a?.onlyTheirsBreached ?? 0)).toBe(a?.compared);
    // made_sla as of the month end: rows written after March do not change a report of March.
    const theirsBreached = [...byNumber.entries()].filter(
      ([n, rs]) =>
        rs.filter((r) => utc(r.sys_updated_at ?? '') <= END).pop()?.made_sla === 'FALSE' &&
        report.records.some((r) => r.number === n && r.status === 'resolved'),
    ).length;
    expect((a?.bothBreached ?? 0) + (a?.onlyTheirsBreached ?? 0)).toBe(theirsBreached);
  });

  it('shows the earlier months in the trend', () => {
    expect(report.trend.map((t) => t.month)).toEqual([
      '2015-09',
      '2015-10',
      '2015-11',
      '2015-12',
      '2016-01',
      '2016-02',
      '2016-03',
    ]);
    expect(report.trend[5]?.resolvedTickets).toBeGreaterThan(0);
    expect(report.trend[6]?.resolvedTickets).toBe(report.totals.resolved);
  });
});
