import type http from 'node:http';
import type { SlaReport } from '../../src/core/sla/report-model';
import { isMonth, shiftMonth } from '../../src/core/sla/report-period';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../src/report/render-report';
import { reportsPage } from './reports-page';

/** What the reports routes need: the use-case bound to a configured source, a clock and a logger. */
export interface ReportsHandlerDeps {
  /** buildSlaReport with source and config applied. */
  buildReport: (month: string) => Promise<SlaReport>;
  clock: Clock;
  logger?: Logger;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function invalid(res: http.ServerResponse, path: string, message: string): void {
  json(res, 400, { error: 'invalid_query', issues: [{ path, message }] });
}

/** Previous calendar month in UTC terms, the report a service manager asks for by default. */
function defaultMonth(clock: Clock): string {
  return shiftMonth(clock.now().toISOString().slice(0, 7), -1);
}

/**
 * `GET /reports/sla?month=YYYY-MM&format=html|csv|json|md|pdf` and the `GET /reports` page. Answers
 * false for any other path so the main server can try its next route.
 */
export function createReportsHandler(deps: ReportsHandlerDeps): Handler {
  return async (req, res, url) => {
    if (url.pathname !== '/reports' && url.pathname !== '/reports/' && url.pathname !== '/reports/sla')
      return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'method_not_allowed' }));
      return true;
    }
    const month =
      url.searchParams.get('month') ?? (url.pathname === '/reports/sla' ? null : defaultMonth(deps.clock));
    if (month === null || !isMonth(month)) {
      invalid(res, 'month', 'expected YYYY-MM, e.g. 2026-10');
      return true;
    }
    try {
      if (url.pathname !== '/reports/sla') {
        const report = await deps.buildReport(month);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : reportsPage(month, report, null));
        return true;
      }
      const format = url.searchParams.get('format') ?? 'html';
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
        invalid(res, 'format', `expected one of ${REPORT_FORMATS.join(', ')}`);
        return true;
      }
      const rendered = await renderReport(await deps.buildReport(month), format as ReportFormat);
      const headers: Record<string, string | number> = {
        'content-type': rendered.contentType,
        'content-length': rendered.body.length,
        'cache-control': 'no-store',
      };
      if (format !== 'html')
        headers['content-disposition'] = `attachment; filename="sla-report-${month}.${rendered.extension}"`;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : rendered.body);
    } catch (err) {
      deps.logger?.error('sla report failed', {
        month,
        error: err instanceof Error ? err.message : String(err),
      });
      if (!res.headersSent)
        json(res, 500, {
          error: 'report_failed',
          message: 'the report could not be built; see the server log',
        });
    }
    return true;
  };
}
