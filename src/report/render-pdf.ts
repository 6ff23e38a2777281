import PDFDocument from 'pdfkit';
import type { SlaReport } from '../core/sla/report-model';
import { CHART_H, CHART_W, type Shape } from './chart-shapes';
import { reportCharts } from './report-charts';
import { headline, progressNote, reportTables, type ReportTable } from './report-tables';
import { winAnsi } from './win-ansi';

type Doc = PDFKit.PDFDocument;

const MARGIN = 40;
const FOOTER = 24;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ROW_H = 12;
const CELL_PAD = 3;
const TEXT = '#1d2430';
const GREY = '#555555';

/** Options of the PDF renderer. */
export interface PdfOptions {
  /** Deflate the page content (default true); tests switch it off to read the text. */
  compress?: boolean;
}

const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;
const bottom = (doc: Doc) => doc.page.height - MARGIN - FOOTER;

/** Starts a new page when `height` does not fit below the current position. */
function ensure(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function paragraph(doc: Doc, text: string, font: string, size: number, color = TEXT): void {
  doc.font(font).fontSize(size).fillColor(color);
  ensure(doc, doc.heightOfString(winAnsi(text), { width: contentWidth(doc) }));
  doc.text(winAnsi(text), MARGIN, doc.y, { width: contentWidth(doc) });
}

/** Draws chart shapes (SVG coordinates, y down, text y = baseline) scaled into the page at (x, y). */
function drawShapes(doc: Doc, shapes: Shape[], x: number, y: number, scale: number): void {
  doc.save();
  doc.translate(x, y).scale(scale);
  for (const s of shapes) {
    switch (s.kind) {
      case 'line':
        doc.moveTo(s.x1, s.y1).lineTo(s.x2, s.y2).lineWidth(1).stroke(s.stroke);
        break;
      case 'rect':
        if (s.h > 0) doc.rect(s.x, s.y, s.w, s.h).fill(s.fill);
        break;
      case 'circle':
        doc.circle(s.cx, s.cy, s.r).fill(s.fill);
        break;
      case 'polyline': {
        const [first, ...rest] = s.points;
        if (!first || rest.length === 0) break;
        doc.moveTo(first[0], first[1]);
        for (const [px, py] of rest) doc.lineTo(px, py);
        doc.lineWidth(s.width).stroke(s.stroke);
        break;
      }
      case 'text': {
        const text = winAnsi(s.text);
        doc.font(FONT).fontSize(s.size).fillColor(s.fill);
        const w = doc.widthOfString(text);
        const left = s.anchor === 'start' ? s.x : s.anchor === 'middle' ? s.x - w / 2 : s.x - w;
        // pdfkit places text by the top of its line box; SVG by the baseline (Helvetica ascent ≈ 0.72 em).
        doc.text(text, left, s.y - s.size * 0.72, { lineBreak: false });
        break;
      }
    }
  }
  doc.restore();
}

function charts(doc: Doc, r: SlaReport): void {
  const scale = contentWidth(doc) / CHART_W;
  for (const { caption, chart } of reportCharts(r)) {
    ensure(doc, 16 + CHART_H * scale);
    doc.font(BOLD).fontSize(10).fillColor(TEXT).text(winAnsi(caption), MARGIN, doc.y);
    const top = doc.y + 2;
    drawShapes(doc, chart.shapes, MARGIN, top, scale);
    doc.x = MARGIN;
    doc.y = top + CHART_H * scale + 8;
  }
}

/** Shortens `text` with an ellipsis until it fits `width` at the current font. */
function fit(doc: Doc, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}

/** Column widths from the widest cell, shrunk proportionally when the table is wider than the page. */
function columnWidths(doc: Doc, t: ReportTable, rows: string[][]): number[] {
  const widths = t.headers.map((h, i) => {
    doc.font(BOLD).fontSize(8);
    let w = doc.widthOfString(h);
    doc.font(FONT).fontSize(8);
    for (const row of rows) w = Math.max(w, doc.widthOfString(row[i] ?? ''));
    return Math.min(w, 220) + 2 * CELL_PAD;
  });
  const total = widths.reduce((a, b) => a + b, 0);
  const k = Math.min(1, contentWidth(doc) / total);
  return widths.map((w) => w * k);
}

function tableRow(doc: Doc, cells: string[], widths: number[], header: boolean): void {
  const y = doc.y;
  let x = MARGIN;
  if (header)
    doc
      .rect(
        MARGIN,
        y,
        widths.reduce((a, b) => a + b, 0),
        ROW_H,
      )
      .fill('#eef1f6');
  doc
    .font(header ? BOLD : FONT)
    .fontSize(8)
    .fillColor(TEXT);
  widths.forEach((w, i) => {
    doc.text(fit(doc, cells[i] ?? '', w - 2 * CELL_PAD), x + CELL_PAD, y + 2.5, { lineBreak: false });
    x += w;
  });
  doc
    .moveTo(MARGIN, y + ROW_H)
    .lineTo(x, y + ROW_H)
    .lineWidth(0.5)
    .stroke('#ccccdd');
  doc.x = MARGIN;
  doc.y = y + ROW_H;
}

function table(doc: Doc, t: ReportTable): void {
  ensure(doc, 20 + 3 * ROW_H);
  doc.moveDown(0.6);
  paragraph(doc, t.title, BOLD, 11);
  doc.moveDown(0.2);
  if (t.rows.length === 0) {
    paragraph(doc, 'none', 'Helvetica-Oblique', 8, GREY);
    return;
  }
  const rows = t.rows.map((row) => row.map(winAnsi));
  const headers = t.headers.map(winAnsi);
  const widths = columnWidths(doc, { ...t, headers }, rows);
  tableRow(doc, headers, widths, true);
  for (const row of rows) {
    // A page break repeats the header, so every page of a long breach list can be read on its own.
    if (doc.y + ROW_H > bottom(doc)) {
      doc.addPage();
      tableRow(doc, headers, widths, true);
    }
    tableRow(doc, row, widths, false);
  }
  if (t.note) {
    doc.moveDown(0.3);
    paragraph(doc, t.note, 'Helvetica-Oblique', 8, GREY);
  }
}

function footers(doc: Doc, r: SlaReport): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(GREY)
      .text(
        winAnsi(`SLA report ${r.month} · page ${i + 1}/${range.count}`),
        MARGIN,
        doc.page.height - MARGIN,
        {
          width: contentWidth(doc),
          align: 'center',
          lineBreak: false,
        },
      );
    doc.page.margins.bottom = margin;
  }
}

/**
 * The report as an A4 PDF drawn with pdfkit: headline, the charts of the HTML report (same shapes,
 * chart-shapes.ts) and its tables, page numbers in the footer. No browser: text uses the PDF's built-in
 * Helvetica (WinAnsi; other characters print as `?`, see win-ansi.ts).
 */
export function renderPdf(r: SlaReport, options: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    // The report's own time, so the same report gives the same document date.
    info: { Title: `SLA report ${r.month}`, Creator: 'itsm-bridge', CreationDate: new Date(r.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  paragraph(doc, `SLA report ${r.month}`, BOLD, 18);
  paragraph(
    doc,
    `Period ${r.period.start} – ${r.period.end} (${r.timeZone}) · source ${r.source} · generated ${r.generatedAt}`,
    FONT,
    8,
    GREY,
  );
  doc.moveDown(0.5);
  const note = progressNote(r);
  if (note) {
    paragraph(doc, note, BOLD, 9, '#a85a12');
    doc.moveDown(0.3);
  }
  paragraph(doc, headline(r), BOLD, 10);
  doc.moveDown(0.6);
  charts(doc, r);
  for (const t of reportTables(r)) table(doc, t);
  footers(doc, r);
  doc.end();
  return done;
}
