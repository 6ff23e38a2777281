import type { SlaReport } from '../core/sla/report-model';
import { renderCsv, renderHandoffsCsv } from './render-csv';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { renderPdf } from './render-pdf';

export const REPORT_FORMATS = ['html', 'csv', 'handoffs-csv', 'json', 'md', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A rendered report ready to write to a file or an HTTP response. */
export interface RenderedReport {
  body: Buffer;
  contentType: string;
  extension: string;
}

const text = (s: string, contentType: string, extension: string): RenderedReport => ({
  body: Buffer.from(s, 'utf8'),
  contentType,
  extension,
});

/** Renders the report in one of the formats (`pdf` is drawn with pdfkit, see render-pdf.ts). */
export async function renderReport(report: SlaReport, format: ReportFormat): Promise<RenderedReport> {
  switch (format) {
    case 'json':
      return text(renderJson(report), 'application/json; charset=utf-8', 'json');
    case 'csv':
      return text(renderCsv(report), 'text/csv; charset=utf-8', 'csv');
    case 'handoffs-csv':
      return text(renderHandoffsCsv(report), 'text/csv; charset=utf-8', 'handoffs.csv');
    case 'md':
      return text(renderMarkdown(report), 'text/markdown; charset=utf-8', 'md');
    case 'html':
      return text(renderHtml(report), 'text/html; charset=utf-8', 'html');
    case 'pdf':
      return { body: await renderPdf(report), contentType: 'application/pdf', extension: 'pdf' };
  }
}
