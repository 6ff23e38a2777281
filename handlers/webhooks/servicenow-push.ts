import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Secret } from '../../src/config/secret';
import type { Logger } from '../../src/ports/logger';
import {
  SERVICENOW_SYNCED_COLUMNS,
  type SeenIncident,
  type SeenJournalEntry,
} from '../../src/ports/servicenow-sync';
import { parseJson } from '../http/parse-json';
import { readBodyOr413 } from '../http/read-body';
import { sendError, sendJson } from '../http/respond';
import { zodIssues } from '../http/zod-issues';

export interface ServiceNowPushDeps {
  /** Shared secret of the business rule's signature (`servicenow.sync.pushSecret`). */
  secret: Secret;
  bodyLimit: number;
  logger: Logger;
  /** Diffs and hands the record to the sync core; resolves once the changes are committed. */
  receive: (seen: SeenIncident, journal: SeenJournalEntry[]) => Promise<void>;
}

const glide = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected YYYY-MM-DD HH:mm:ss (UTC)');
const sysId = z.string().regex(/^[0-9a-f]{32}$/, 'expected a 32-hex sys_id');
const text = z.string().max(32_000);

/** The body `integrations/servicenow/business-rule.js` posts (all values strings, as GlideRecord gives them). */
const PushBody = z.strictObject({
  table: z.literal('incident'),
  sys_id: sysId,
  number: z.string().max(40),
  sys_mod_count: z.string().regex(/^\d{1,9}$/, 'expected a non-negative integer'),
  sys_updated_on: glide,
  sys_updated_by: z.string().max(200),
  fields: z.strictObject(
    Object.fromEntries(SERVICENOW_SYNCED_COLUMNS.map((c) => [c, text])) as Record<
      (typeof SERVICENOW_SYNCED_COLUMNS)[number],
      typeof text
    >,
  ),
  journal: z
    .array(
      z.strictObject({
        sys_id: sysId,
        element: z.enum(['work_notes', 'comments']),
        value: z.string().max(64_000),
        sys_created_on: glide,
        sys_created_by: z.string().max(200),
      }),
    )
    .max(100),
});

/**
 * `X-ServiceNow-Signature: sha256=<HMAC-SHA256 of the raw body>`, base64 (what the business rule's
 * GlideCertificateEncryption.generateMac gives) or hex; compared in constant time.
 */
export function pushSignatureValid(header: string | undefined, body: Buffer, secret: Secret): boolean {
  const m = /^sha256=(.+)$/.exec(header?.trim() ?? '');
  const expected = createHmac('sha256', secret.reveal()).update(body).digest();
  if (!m) {
    timingSafeEqual(expected, expected); // the same work either way
    return false;
  }
  const sent = /^[0-9a-f]{64}$/i.test(m[1]!) ? Buffer.from(m[1]!, 'hex') : Buffer.from(m[1]!, 'base64');
  if (sent.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(sent, expected);
}

/**
 * POST /webhooks/servicenow — the business rule's push. The signature is checked on the raw body before
 * anything is parsed (401 and nothing changes when it is missing or wrong); the answer is 200 only after
 * the sink committed the changes, so the rule's retry (or the next poll) covers a failure.
 */
export async function receiveServiceNowPush(
  deps: ServiceNowPushDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST')
    return sendError(res, 405, 'method_not_allowed', 'use POST', { headers: { allow: 'POST' } });
  const body = await readBodyOr413(req, res, deps.bodyLimit);
  if (!body) return;
  const header = req.headers['x-servicenow-signature'];
  if (!pushSignatureValid(typeof header === 'string' ? header : undefined, body, deps.secret))
    return sendError(
      res,
      401,
      'unauthorized',
      'missing or wrong X-ServiceNow-Signature (sha256=<HMAC of the body>)',
    );
  const json = parseJson(body);
  if (!json.ok)
    return sendError(res, 400, json.problem.error, json.problem.message, {
      ...(json.problem.path ? { issues: [{ path: json.problem.path, message: json.problem.message }] } : {}),
    });
  const parsed = PushBody.safeParse(json.value);
  if (!parsed.success)
    return sendError(res, 400, 'invalid_payload', 'not a business-rule push of an incident', {
      issues: zodIssues(parsed.error),
    });
  const p = parsed.data;
  const seen: SeenIncident = {
    sysId: p.sys_id,
    number: p.number,
    modCount: Number(p.sys_mod_count),
    updatedOn: p.sys_updated_on,
    updatedBy: p.sys_updated_by,
    fields: p.fields,
  };
  const journal: SeenJournalEntry[] = p.journal.map((j) => ({
    sysId: j.sys_id,
    element: j.element,
    value: j.value,
    createdOn: j.sys_created_on,
    createdBy: j.sys_created_by,
  }));
  try {
    await deps.receive(seen, journal);
  } catch (err) {
    deps.logger.warn('ServiceNow push not handled; the poll picks the change up', {
      incident: p.number,
      error: err instanceof Error ? err.message : String(err),
    });
    return sendError(res, 503, 'unavailable', 'the change could not be stored; retry later', {
      headers: { 'retry-after': '5' },
    });
  }
  sendJson(res, 200, { accepted: true, incident: p.number });
}
