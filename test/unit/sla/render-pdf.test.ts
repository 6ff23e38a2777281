import { reportCharts } from '../../../src/report/report-charts';
import { renderPdf } from '../../../src/report/render-pdf';
import { reportTables } from '../../../src/report/report-tables';
import { datasetReport } from '../../integration/report/dataset';
import { pdfStreams, pdfText } from '../../helpers/pdf-text';
import type { SlaReport } from '../../../src/core/sla/report-model';

/** pdfkit writes a colour as its three components over 255, e.g. `0.298… 0.584… 0.423… scn`. */
const rgb = (hex: string) => [1, 3, 5].map((i) => String(parseInt(hex.slice(i, i + 2), 16) / 255)).join(' ');

describe('the PDF report, drawn with pdfkit', () => {
  let report: SlaReport;
  let pdf: Buffer;
  let text: string;
  beforeAll(async () => {
    report = await datasetReport('2016-03');
    pdf = await renderPdf(report, { compress: false });
    text = pdfText(pdf);
  });

  it('has the headline, every table title and every breach ticket', () => {
    expect(text).toContain('SLA report 2016-03');
    for (const t of reportTables(report)) expect(text).toContain(t.title);
    for (const b of report.breaches.slice(0, 50)) expect(text).toContain(b.number);
    expect(text).toMatch(/page 1\/\d+/);
  });

  it('draws the bars of the MTTR distribution, one filled rectangle per bucket, with their counts', () => {
    const content = pdfStreams(pdf).join('\n');
    const bars = report.mttrDistribution.filter((c) => c.count > 0).length;
    const filled = content.split(` re\n/DeviceRGB cs\n${rgb('#4c956c')} scn\nf\n`).length - 1;
    expect(filled).toBe(bars);
    for (const c of report.mttrDistribution) expect(text).toContain(c.key);
  });

  it('draws the compliance trend as lines over the months', () => {
    const chart = reportCharts(report)[0]?.chart;
    const months = report.trend.map((t) => t.month);
    for (const m of months) expect(text).toContain(m);
    const content = pdfStreams(pdf).join('\n');
    const polylines = chart?.shapes.filter((s) => s.kind === 'polyline' && s.points.length > 1).length ?? 0;
    expect(polylines).toBeGreaterThan(0);
    // Polylines are the only strokes 2 wide, in the series colours.
    const strokes = content.match(/ l\n2 w\n\/DeviceRGB CS\n[\d. ]+ SCN\nS\n/g) ?? [];
    expect(strokes).toHaveLength(polylines);
    expect(content).toContain(`${rgb('#d9822b')} SCN`);
  });

  it('compresses by default and says when the month is in progress', async () => {
    const small = await renderPdf(report);
    expect(small.length).toBeLessThan(pdf.length / 2);
    expect(pdfText(small)).toContain('SLA report 2016-03');
    const live = pdfText(await renderPdf({ ...report, monthInProgress: true, asOf: '2016-03-10T11:00:00Z' }));
    expect(live).toContain('Month in progress: figures as of 2016-03-10 12:00 (Europe/Berlin)');
  });

  it('prints characters outside WinAnsi as ? instead of wrong letters', async () => {
    const odd = { ...report, source: 'Zürich 北京 – ≥' };
    expect(pdfText(await renderPdf(odd, { compress: false }))).toContain('source Zürich ?? – ?');
  });
});
