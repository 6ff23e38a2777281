import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What we accept from a proxy or client: short, printable, nothing a log viewer could mistake. */
const SANE = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The request's id: the incoming `X-Request-Id` when a proxy in front set a sane one (so its logs and
 * ours share it), else a fresh UUID. Echoed in the response and stored with what the request causes.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE.test(given) ? given : randomUUID();
}
