import type { ServerResponse } from 'node:http';
import { listOnCall, type OnCallDeps } from '../../src/app/list-oncall';
import { onCallCalendar } from '../../src/app/oncall-calendar';
import { sendError, sendJson } from './respond';
import type { Store } from '../../src/ports/store';

/** GET /api/oncall — now and next per provider. */
export function getOnCall(deps: OnCallDeps, now: Date, res: ServerResponse): void {
  sendJson(res, 200, { providers: listOnCall(deps, now) });
}

/** GET /api/shifts?provider=&limit= — past shift handovers, newest first, with who acknowledged when. */
export async function getShifts(
  store: Pick<Store, 'shifts'>,
  providers: readonly string[],
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const provider = url.searchParams.get('provider');
  if (provider !== null && !providers.includes(provider))
    return sendError(res, 400, 'invalid_query', `unknown provider "${provider}"`, {
      issues: [{ path: 'provider', message: `one of ${providers.join(', ')}` }],
    });
  const limitText = url.searchParams.get('limit') ?? '50';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500)
    return sendError(res, 400, 'invalid_query', 'limit must be 1 to 500', {
      issues: [{ path: 'limit', message: 'an integer from 1 to 500' }],
    });
  const shifts = await store.shifts.list({ ...(provider ? { provider } : {}), limit });
  sendJson(res, 200, { shifts });
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
