import type { ServerResponse } from 'node:http';
import { listOnCall, type OnCallDeps } from '../../src/app/list-oncall';
import { onCallCalendar } from '../../src/app/oncall-calendar';
import { sendError, sendJson } from './respond';

/** GET /api/oncall — now and next per provider. */
export function getOnCall(deps: OnCallDeps, now: Date, res: ServerResponse): void {
  sendJson(res, 200, { providers: listOnCall(deps, now) });
}

/** GET /api/oncall/<provider>.ics — the next eight weeks of shifts as an iCalendar feed. */
export function getOnCallCalendar(deps: OnCallDeps, provider: string, now: Date, res: ServerResponse): void {
  const ics = onCallCalendar(deps, provider, now);
  if (ics === null)
    return sendError(
      res,
      404,
      'not_found',
      `no provider "${provider}"; known: ${deps.providers.map((p) => p.name).join(', ')}`,
    );
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `inline; filename="oncall-${provider}.ics"`,
    'content-length': Buffer.byteLength(ics),
  });
  res.end(ics);
}
