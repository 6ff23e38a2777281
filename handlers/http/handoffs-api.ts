import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { HandoffNote, HandoffState, type Handoff } from '../../src/core/handoff/handoff';
import type { HandoffResult } from '../../src/app/offer-incident-handoff';
import type { Store } from '../../src/ports/store';
import { parseJson } from './parse-json';
import { BodyTooLargeError, readBody } from './read-body';
import { sendError, sendJson } from './respond';
import { zodIssues } from './zod-issues';

/** The hand-off use-cases, bound to the actor `api` by the composition. */
export interface HandoffApiDeps {
  store: Pick<Store, 'handoffs'>;
  offer(o: { incidentId: number; to: string; note: HandoffNote }): Promise<HandoffResult>;
  accept(id: number): Promise<HandoffResult>;
  reject(id: number, reason: string): Promise<HandoffResult>;
  cancel(id: number): Promise<HandoffResult>;
}

const OfferBody = z.strictObject({ to: z.string().trim().min(1).max(100), note: HandoffNote });
const RejectBody = z.strictObject({
  reason: z.string().trim().min(1, 'a rejection needs a reason').max(4000),
});
const BODY_LIMIT = 64 * 1024;

/** The stable API shape of a hand-off. */
export const presentHandoff = (h: Handoff) => ({
  id: h.id,
  incidentId: h.incidentId,
  from: h.from,
  to: h.to,
  state: h.state,
  offeredAt: h.offeredAt,
  offeredBy: h.offeredBy,
  deadline: h.deadline,
  decidedAt: h.decidedAt,
  decidedBy: h.decidedBy,
  reason: h.reason,
  note: h.note,
});

const STATUS: Record<Exclude<HandoffResult, { ok: true }>['code'], number> = {
  not_found: 404,
  unknown_provider: 400,
  reason_required: 400,
  same_owner: 409,
  already_open: 409,
  not_open: 409,
  resolved: 409,
};

function answer(res: ServerResponse, r: HandoffResult, okStatus: number): void {
  if (r.ok) return sendJson(res, okStatus, presentHandoff(r.handoff));
  sendError(
    res,
    STATUS[r.code],
    r.code,
    r.message,
    r.code === 'unknown_provider' ? { issues: [{ path: 'to', message: r.message }] } : {},
  );
}

/** Reads and validates a JSON body; answers 400/413/415 itself and returns null then. */
async function body<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>): Promise<T | null> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    sendError(res, 415, 'unsupported_media_type', 'send application/json');
    return null;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, BODY_LIMIT);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    sendError(res, 413, 'payload_too_large', err.message, { headers: { connection: 'close' } });
    return null;
  }
  const json = parseJson(raw);
  if (!json.ok) {
    sendError(res, 400, json.problem.error, json.problem.message, {
      issues: [{ path: json.problem.path ?? '(root)', message: json.problem.message }],
    });
    return null;
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    sendError(
      res,
      400,
      'invalid_payload',
      `invalid ${issues[0]?.path ?? 'body'}: ${issues[0]?.message ?? ''}`,
      { issues },
    );
    return null;
  }
  return parsed.data;
}

const positiveId = (text: string) => (/^[1-9]\d{0,15}$/.test(text) ? Number(text) : null);

/**
 * The hand-off routes under /api (the API token is checked by the server before): `POST
 * /api/incidents/:id/handoffs`, `POST /api/handoffs/:id/{accept,reject,cancel}`, `GET /api/handoffs`.
 * Transport only: validate, call the use-case, map its result to 201/200, 400 (field named), 404, 409.
 * Returns false when the path is not one of them.
 */
export async function routeHandoffs(
  deps: HandoffApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
): Promise<boolean> {
  const offer = /^\/api\/incidents\/([^/]+)\/handoffs$/.exec(path);
  const decide = /^\/api\/handoffs\/([^/]+)\/(accept|reject|cancel)$/.exec(path);
  const list = path === '/api/handoffs';
  if (!offer && !decide && !list) return false;
  const method = list ? 'GET' : 'POST';
  if (req.method !== method) {
    sendError(res, 405, 'method_not_allowed', `use ${method}`, { headers: { allow: method } });
    return true;
  }
  if (list) {
    const state = url.searchParams.get('state');
    const parsed = z
      .union([HandoffState, z.literal('open')])
      .optional()
      .safeParse(state ?? undefined);
    if (!parsed.success) {
      sendError(res, 400, 'invalid_query', 'state must be open or a hand-off state', {
        issues: [{ path: 'state', message: `expected open, ${HandoffState.options.join(', ')}` }],
      });
      return true;
    }
    const handoffs = await deps.store.handoffs.list({
      ...(parsed.data ? { state: parsed.data } : {}),
      limit: 200,
    });
    sendJson(res, 200, { handoffs: handoffs.map(presentHandoff) });
    return true;
  }
  const id = positiveId((offer ?? decide)![1]!);
  if (id === null) {
    sendError(res, 400, 'invalid_id', 'the id must be a positive integer', {
      issues: [{ path: 'id', message: 'expected a positive integer' }],
    });
    return true;
  }
  if (offer) {
    const b = await body(req, res, OfferBody);
    if (b) answer(res, await deps.offer({ incidentId: id, to: b.to, note: b.note }), 201);
    return true;
  }
  const verb = decide![2];
  if (verb === 'reject') {
    const b = await body(req, res, RejectBody);
    if (b) answer(res, await deps.reject(id, b.reason), 200);
  } else answer(res, await (verb === 'accept' ? deps.accept(id) : deps.cancel(id)), 200);
  return true;
}
