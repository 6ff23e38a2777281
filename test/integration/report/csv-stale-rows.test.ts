import type { SlaReport } from '../../../src/core/sla/report-model';
import { datasetReport } from './dataset';

describe('out-of-order audit rows in the real export', () => {
  let march: SlaReport;
  let february: SlaReport;
  beforeAll(async () => {
    [march, february] = await Promise.all([datasetReport('2016-03'), datasetReport('2016-02')]);
  });

  // INC0000137: New (sys_mod_count 1) → Resolved (2) at 11:03 → New (1 again, an out-of-order copy at
  // 11:10) → Closed (3). ServiceNow says reopen_count = 0: one resolution, on 29 February.
  it('does not turn the stale copy of INC0000137 into a reopen', () => {
    expect(march.records.filter((r) => r.number === 'INC0000137')).toEqual([]);
    const feb = february.records.filter((r) => r.number === 'INC0000137' && r.kind === 'resolution');
    expect(feb.map((r) => [r.cycle, r.stoppedAt])).toEqual([[1, '2016-02-29T11:03:00.000Z']]);
  });

  // INC0000135's first row (by time) is a copy carrying the final sys_mod_count 7; the rows 1…6 after it
  // are the real history, resolved on 29 February. Dropping every row below a count already seen would
  // drop that resolution and move the ticket into March.
  it('keeps the real history of INC0000135 whose first row carries a later sys_mod_count', () => {
    expect(march.records.filter((r) => r.number === 'INC0000135')).toEqual([]);
    const feb = february.records.filter((r) => r.number === 'INC0000135' && r.kind === 'resolution');
    expect(feb.map((r) => [r.cycle, r.stoppedAt])).toEqual([[1, '2016-02-29T15:27:00.000Z']]);
  });
});

describe("ServiceNow's made_sla as of the report month", () => {
  // INC0000197 was resolved in March with made_sla TRUE; a row of 5 April 2016 says FALSE. A report of
  // March must not change with rows written after it.
  it('reads made_sla from the newest row up to the month end', async () => {
    const march = await datasetReport('2016-03');
    const recs = march.records.filter((r) => r.number === 'INC0000197');
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) expect(r.externalMadeSla).toBe(true);
  });
});
