import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { registerSlaExplainCommand } from '../../../src/cli/sla-explain';
import type { SlaExplanation } from '../../../src/core/sla/explain-ticket';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { DATASET, datasetExplanation, datasetReport, datasetRows, fixedClock } from './dataset';

const explain = datasetExplanation;

describe('sla explain on the real export', () => {
  let report: SlaReport;
  let lineOf: [string | undefined, string][];
  beforeAll(async () => {
    report = await datasetReport('2016-03');
    lineOf = datasetRows().map((row, i) => [row.number, `line ${i + 2}`]);
  });

  it('takes every breach of the report back to its rows and clock stretches', async () => {
    const resolved = report.breaches.filter((b) => b.status === 'resolved' && b.kind === 'resolution');
    expect(resolved.length).toBeGreaterThan(3);
    for (const b of resolved.slice(0, 3)) {
      const e = (await explain(b.number)) as SlaExplanation;
      const r = e.records.find((x) => x.definitionId === b.definitionId && x.cycle === b.cycle);
      expect(r?.breachedAt).toBe(b.breachedAt);
      expect(r?.breachProvider).toBe(b.provider);
      const running = r?.segments.filter((s) => s.clock === 'running') ?? [];
      const businessSeconds = running.reduce((sum, s) => sum + s.businessMinutes * 60, 0);
      expect(businessSeconds).toBeCloseTo(b.actualBusinessSeconds, 0);
      expect(r?.segments.filter((s) => s.breach)).toHaveLength(1);
      expect(r?.contributes).toContain(
        `compliance ${b.definitionId} P${b.priority} and all priorities: breached`,
      );
      expect(e.figures.breaches).toContainEqual(b);
      // Every update names its row in the file, and the rows are exactly the ticket's rows.
      const lines = lineOf.filter(([n]) => n === b.number).map(([, l]) => l);
      expect(e.updates.map((u) => u.ref).sort()).toEqual(lines.sort());
    }
  });

  it('adds up to the report: the one-ticket figures of INC0000549 match its records', async () => {
    const e = (await explain('INC0000549')) as SlaExplanation;
    const resolution = e.records.find((r) => r.kind === 'resolution');
    expect(resolution?.elapsedBusinessSeconds).toBe(74 * 60);
    expect(resolution?.pausedBusinessSeconds).toBe((10 * 60 + 53) * 60);
    const paused = resolution?.segments.filter((s) => s.clock === 'paused') ?? [];
    expect(paused.reduce((s, x) => s + x.businessMinutes, 0)).toBe(10 * 60 + 53);
    expect(paused.map((s) => s.state)).toEqual(['awaiting user info']);
    expect(e.figures.totals).toMatchObject({ tickets: 1, resolved: 1, breaches: 0 });
    expect(e.figures.mttr.business.count).toBe(1);
  });

  it('shows the out-of-order copy of INC0000137 as stale and says where the ticket counts', async () => {
    const e = (await explain('INC0000137')) as SlaExplanation;
    expect(e.updates.map((u) => [u.ref, u.version, u.state, u.use])).toEqual([
      ['line 360', 1, 'New', 'used'],
      ['line 361', 2, 'Resolved', 'used'],
      ['line 359', 1, 'New', 'stale'],
      ['line 362', 3, 'Closed', 'used'],
    ]);
    const resolution = e.records.filter((r) => r.kind === 'resolution');
    expect(resolution).toHaveLength(1);
    expect(resolution[0]?.status).toBeNull();
    expect(resolution[0]?.contributes).toEqual([
      'not in the figures of 2016-03: counted in the month it stopped (2016-02-29T11:03:00.000Z)',
    ]);
    expect(e.figures.totals.tickets).toBe(0);
  });

  it('answers null for a ticket the source does not have', async () => {
    expect(await explain('INC9999999')).toBeNull();
  });
});

describe('itsm-bridge sla explain', () => {
  function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
    let out = '';
    let err = '';
    const stdout = new PassThrough();
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const p = new Command()
      .exitOverride()
      .configureOutput({ writeErr: (s) => (err += s), writeOut: () => undefined });
    registerSlaExplainCommand(p, { clock: fixedClock, stdout, stderr });
    return p.parseAsync(['sla', 'explain', ...args], { from: 'user' }).then(
      () => ({ out, err, code: 0 }),
      (e: { exitCode?: number }) => ({ out, err, code: e.exitCode ?? -1 }),
    );
  }
  const csv = ['--source', 'csv', '--file', DATASET];

  it('prints the explanation as JSON equal to the use-case result', async () => {
    const r = await run(['INC0000549', '--month', '2016-03', '--format', 'json', ...csv]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(await explain('INC0000549'))));
  });

  it('prints Markdown tables by default', async () => {
    const r = await run(['INC0000549', '--month', '2016-03', ...csv]);
    expect(r.out).toMatch(/^# SLA explanation INC0000549, 2016-03/);
    expect(r.out).toContain('## Updates read (');
    expect(r.out).toMatch(/\| awaiting user info \| paused \|/);
  });

  it('fails naming the ticket when it is unknown, and the month when it is malformed', async () => {
    const unknown = await run(['INC9999999', '--month', '2016-03', ...csv]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('ticket "INC9999999" not found');
    const bad = await run(['INC0000549', '--month', '2016-3', ...csv]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('expected YYYY-MM');
  });
});
