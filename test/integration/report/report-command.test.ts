import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { registerReportCommand } from '../../../src/cli/report';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { DATASET, datasetReport, fixedClock } from './dataset';

function program(stderr: string[]): Command {
  const p = new Command()
    .exitOverride()
    .configureOutput({ writeErr: (s) => stderr.push(s), writeOut: () => undefined });
  const err = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  err.on('data', (c: Buffer) => stderr.push(c.toString()));
  registerReportCommand(p, { clock: fixedClock, stderr: err });
  return p;
}

describe('itsm-bridge report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-report-'));

  it('writes the JSON report of the real export, equal to the use-case result', async () => {
    const stderr: string[] = [];
    const out = join(dir, 'r.json');
    await program(stderr).parseAsync(
      [
        'report',
        '--source',
        'csv',
        '--file',
        DATASET,
        '--month',
        '2016-03',
        '--format',
        'json',
        '--out',
        out,
      ],
      { from: 'user' },
    );
    const written = JSON.parse(readFileSync(out, 'utf8')) as SlaReport;
    const direct = JSON.parse(JSON.stringify(await datasetReport())) as SlaReport;
    const { breaches, ...rest } = written;
    expect({
      ...rest,
      breaches: breaches.map(
        ({ explain: _, ...b }: SlaReport['breaches'][number] & { explain?: string }) => b,
      ),
    }).toEqual(direct);
    expect(breaches.every((b) => 'explain' in b)).toBe(true);
    expect(stderr.join('')).toMatch(/importing .*tickets/);
    expect(stderr.join('')).toContain(`wrote ${out}`);
  });

  it('writes one CSV row per ticket and SLA record', async () => {
    const out = join(dir, 'r.csv');
    await program([]).parseAsync(
      ['report', '--source', 'csv', '--file', DATASET, '--month', '2016-03', '--format', 'csv', '--out', out],
      { from: 'user' },
    );
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    const report = await datasetReport();
    expect(lines[0]).toMatch(/^number,ticketId,definitionId,kind,cycle,status,priority,targetSeconds/);
    expect(lines.length - 1).toBe(report.records.length);
    expect(
      lines.some((l) =>
        l.startsWith('INC0000549,INC0000549,resolution,resolution,1,resolved,3,259200,business,'),
      ),
    ).toBe(true);
  });

  it('rejects a malformed month and a csv source without file', async () => {
    const stderr: string[] = [];
    await expect(
      program(stderr).parseAsync(['report', '--month', '2016-13'], { from: 'user' }),
    ).rejects.toThrow(/YYYY-MM/);
    await expect(
      program([]).parseAsync(['report', '--month', '2016-03', '--source', 'csv'], { from: 'user' }),
    ).rejects.toThrow(/--file/);
    await expect(
      program([]).parseAsync(['report', '--month', '2016-03', '--source', 'servicenow'], { from: 'user' }),
    ).rejects.toThrow(/not configured/);
    await expect(
      program([]).parseAsync(
        [
          'report',
          '--month',
          '2016-03',
          '--source',
          'csv',
          '--file',
          DATASET,
          '--csv-time-zone',
          'Mars/Base',
        ],
        {
          from: 'user',
        },
      ),
    ).rejects.toThrow(/IANA/);
  });
});
