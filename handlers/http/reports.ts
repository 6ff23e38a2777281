import type http from 'node:http';
import NodeCache from 'node-cache';
import type { Secret } from '../../src/config/secret';
import type { SlaExplanation } from '../../src/core/sla/explain-ticket';
import type { SlaReport } from '../../src/core/sla/report-model';
import { isMonth, shiftMonth } from '../../src/core/sla/report-period';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import { renderExplanationHtml } from '../../src/report/render-explanation';
import {
  REPORT_FORMATS,
  renderReport,
  type RenderedReport,
  type ReportFormat,
} from '../../src/report/render-report';
import { handleLogin, sendHtml } from './login';
import { LoginAttempts } from './login-attempts';
import { QueueFullError, RenderQueue } from './render-queue';
import { reportsAuthorized } from './report-session';
import { reportsPage } from './reports-page';

/** What the reports routes need: the use-cases bound to a configured source, the API token, a clock. */
export interface ReportsHandlerDeps {
  /** buildSlaReport with source and config applied. */
  buildReport: (month: string) => Promise<SlaReport>;
  /** explainSlaTicket with the same source and config; null when the source has no such ticket. */
  explain: (ticket: string, month: string) => Promise<SlaExplanation | null>;
  /** The reports answer only to this token (bearer) or a session made with it (login page). */
  apiToken: Secret;
  clock: Clock;
  logger?: Logger;
  /** Source name, part of the cache key. */
  source?: string;
  /** PDF renders at once (default 2) and waiting (default 4) before 503. */
  pdfConcurrency?: number;
  pdfQueue?: number;
  /** How long a past month's rendered report is kept (seconds, default 3600). */
  cacheSeconds?: number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

const PATHS = new Set(['/reports', '/reports/', '/reports/sla', '/reports/sla/explain', '/login', '/logout']);
const TICKET = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function json(res: http.ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function invalid(res: http.ServerResponse, path: string, message: string): void {
  json(res, 400, { error: 'invalid_query', issues: [{ path, message }] });
}

/** Previous calendar month in UTC terms, the report a service manager asks for by default. */
function defaultMonth(clock: Clock): string {
  return shiftMonth(clock.now().toISOString().slice(0, 7), -1);
}

/** Unauthenticated: a browser goes to the login page and comes back; a script gets 401. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
  if ((req.headers.accept ?? '').includes('text/html')) {
    res.writeHead(303, {
      location: `/login?next=${encodeURIComponent(url.pathname + url.search)}`,
      'cache-control': 'no-store',
    });
    return void res.end();
  }
  json(
    res,
    401,
    { error: 'unauthorized', message: 'send the API token as a bearer, or sign in at /login' },
    { 'www-authenticate': 'Bearer' },
  );
}

/**
 * `GET /reports/sla?month=YYYY-MM&format=html|csv|json|md|pdf`, `GET /reports/sla/explain?ticket=&month=`,
 * the `GET /reports` page and the login routes. Every report route needs the API token or a session
 * (issue 12, finding 8); PDFs render through a small queue; a past month's rendered report is cached
 * (month + source + format), the month in progress never. Answers false for any other path.
 */
export function createReportsHandler(deps: ReportsHandlerDeps): Handler {
  const queue = new RenderQueue(deps.pdfConcurrency ?? 2, deps.pdfQueue ?? 4);
  const cache = new NodeCache({ stdTTL: deps.cacheSeconds ?? 3600, useClones: false, maxKeys: 200 });
  const source = deps.source ?? 'store';
  const now = () => deps.clock.now().getTime();
  const attempts = new LoginAttempts(now);

  /** Builds and renders, or takes a past month's result from the cache. */
  async function rendered(month: string, format: ReportFormat | 'page'): Promise<RenderedReport> {
    const key = `${month}|${source}|${format}`;
    const hit = cache.get<RenderedReport>(key);
    if (hit) return hit;
    const make = async (): Promise<{ report: SlaReport; out: RenderedReport }> => {
      const report = await deps.buildReport(month);
      const out =
        format === 'page'
          ? {
              body: Buffer.from(reportsPage(month, report, null)),
              contentType: 'text/html',
              extension: 'html',
            }
          : await renderReport(report, format);
      return { report, out };
    };
    const { report, out } = format === 'pdf' ? await queue.run(make) : await make();
    if (!report.monthInProgress) {
      try {
        cache.set(key, out);
      } catch {
        // maxKeys reached (node-cache throws ECACHEFULL): serve uncached until entries expire.
      }
    }
    return out;
  }

  async function explain(req: http.IncomingMessage, res: http.ServerResponse, url: URL, month: string) {
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!TICKET.test(ticket))
      return invalid(res, 'ticket', 'expected a ticket number or id (letters, digits, . _ : -, at most 64)');
    const format = url.searchParams.get('format') ?? 'json';
    if (format !== 'json' && format !== 'html') return invalid(res, 'format', 'expected json or html');
    const e = await deps.explain(ticket, month);
    if (!e)
      return json(res, 404, {
        error: 'not_found',
        message: `ticket ${ticket} is not in source ${source} for ${month}`,
      });
    if (format === 'html') return sendHtml(res, 200, renderExplanationHtml(e), req.method === 'HEAD');
    json(res, 200, e);
  }

  return async (req, res, url) => {
    if (!PATHS.has(url.pathname)) return false;
    if (url.pathname === '/login' || url.pathname === '/logout') {
      await handleLogin({ apiToken: deps.apiToken, now, attempts, logger: deps.logger }, req, res, url);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'method_not_allowed' }));
      return true;
    }
    if (!reportsAuthorized(req, deps.apiToken, now())) {
      refuse(req, res, url);
      return true;
    }
    const page = url.pathname === '/reports' || url.pathname === '/reports/';
    const month = url.searchParams.get('month') ?? (page ? defaultMonth(deps.clock) : null);
    if (month === null || !isMonth(month)) {
      invalid(res, 'month', 'expected YYYY-MM, e.g. 2026-10');
      return true;
    }
    try {
      if (url.pathname === '/reports/sla/explain') {
        await explain(req, res, url, month);
        return true;
      }
      if (page) {
        const out = await rendered(month, 'page');
        sendHtml(res, 200, out.body.toString('utf8'), req.method === 'HEAD');
        return true;
      }
      const format = url.searchParams.get('format') ?? 'html';
      if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
        invalid(res, 'format', `expected one of ${REPORT_FORMATS.join(', ')}`);
        return true;
      }
      const out = await rendered(month, format as ReportFormat);
      if (format === 'html') {
        sendHtml(res, 200, out.body.toString('utf8'), req.method === 'HEAD');
        return true;
      }
      res.writeHead(200, {
        'content-type': out.contentType,
        'content-length': out.body.length,
        'cache-control': 'no-store',
        'content-disposition': `attachment; filename="sla-report-${month}.${out.extension}"`,
      });
      res.end(req.method === 'HEAD' ? undefined : out.body);
    } catch (err) {
      if (err instanceof QueueFullError) {
        json(
          res,
          503,
          { error: 'busy', message: 'too many PDF reports are being rendered; retry shortly' },
          { 'retry-after': '5' },
        );
        return true;
      }
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
