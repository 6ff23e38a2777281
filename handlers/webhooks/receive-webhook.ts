import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SourcesConfig } from '../../src/config/sources';
import type { Secret } from '../../src/config/secret';
import { AlertSource, type Alert } from '../../src/core/alert/alert';
import { BridgeError, ValidationError } from '../../src/errors';
import type { Logger } from '../../src/ports/logger';
import { bearerMatches, grafanaSignatureValid } from '../http/auth';
import { parseJson } from '../http/parse-json';
import { BodyTooLargeError, readBody } from '../http/read-body';
import { sendError, sendJson } from '../http/respond';
import { labelLimitProblem } from './label-limits';
import { SOURCE_MAPPERS } from './sources';
import { zodIssues } from '../http/zod-issues';

export interface WebhookDeps {
  sources: SourcesConfig;
  tokens: Partial<Record<AlertSource, Secret>>;
  bodyLimit: number;
  keyMode: 'fingerprint' | 'groupKey';
  now: () => Date;
  logger: Logger;
  /** The ingest use-case: resolves with alert ids once they are committed. */
  ingest: (alerts: Alert[]) => Promise<number[]>;
  onResult?: (source: string, status: number, alerts: number) => void;
}

const isJson = (ct: string | undefined) =>
  !!ct && /^application\/([a-z0-9.+-]*\+)?json\b/i.test(ct.split(';')[0]!.trim());

/**
 * POST /webhooks/:source — authenticate, read (bounded), parse, validate, map, store, answer 202.
 * Status codes follow DESIGN.md §3; storage trouble is a 503 with Retry-After because Alertmanager
 * retries only 5xx.
 */
export async function receiveWebhook(
  deps: WebhookDeps,
  sourceName: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const src = AlertSource.safeParse(sourceName);
  const finish = (status: number, alerts = 0) =>
    deps.onResult?.(src.success ? src.data : 'unknown', status, alerts);
  if (!src.success || !deps.sources[src.data].enabled) {
    finish(404);
    return sendError(
      res,
      404,
      'unknown_source',
      `no webhook source "${sourceName}"; known: ${AlertSource.options.join(', ')}`,
    );
  }
  const source = src.data;
  if (req.method !== 'POST') {
    finish(405);
    return sendError(res, 405, 'method_not_allowed', 'use POST', { headers: { allow: 'POST' } });
  }
  if (!bearerMatches(req, deps.tokens[source])) {
    finish(401);
    return sendError(res, 401, 'unauthorized', 'missing or wrong bearer token', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  if (!isJson(req.headers['content-type'])) {
    finish(415);
    return sendError(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  let body: Buffer;
  try {
    body = await readBody(req, deps.bodyLimit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      finish(413);
      return sendError(res, 413, 'payload_too_large', `${err.message}`, { headers: { connection: 'close' } });
    }
    throw err;
  }
  const hmac = source === 'grafana' ? deps.sources.grafana.hmac : undefined;
  if (hmac) {
    const v = grafanaSignatureValid(req, body, hmac, deps.now().getTime());
    if (!v.ok) {
      finish(401);
      return sendError(res, 401, 'bad_signature', v.reason);
    }
  }
  const parsed = parseJson(body);
  if (!parsed.ok) {
    finish(400);
    const { error, message, path } = parsed.problem;
    return sendError(res, 400, error, message, path ? { issues: [{ path, message }] } : {});
  }
  const mapper = SOURCE_MAPPERS[source];
  const payload = mapper.gate?.(parsed.value)
    ? { success: true as const, data: parsed.value }
    : mapper.schema.safeParse(parsed.value);
  if (!payload.success) {
    finish(400);
    const issues = zodIssues(payload.error);
    return sendError(res, 400, 'invalid_payload', `payload does not match the ${source} schema`, { issues });
  }
  try {
    const alerts = mapper.toAlerts(payload.data, {
      receivedAt: deps.now().toISOString(),
      keyMode: deps.keyMode,
    });
    const tooLarge = labelLimitProblem(alerts, deps.sources.labelLimits);
    if (tooLarge) {
      finish(400);
      const { field, limit, message } = tooLarge;
      return sendJson(res, 400, {
        error: 'labels_too_large',
        message,
        field,
        limit,
        issues: [{ path: field, message }],
      });
    }
    const ids = await deps.ingest(alerts);
    finish(202, ids.length);
    sendJson(res, 202, { accepted: ids.length, alerts: ids });
  } catch (err) {
    if (err instanceof ValidationError) {
      finish(400);
      return sendError(res, 400, err.code, err.message, { issues: err.issues });
    }
    if (err instanceof BridgeError && err.retryable) {
      deps.logger.warn('webhook not stored', { source, error: err.message });
      finish(503);
      return sendError(res, 503, err.code, 'alerts could not be stored durably; retry later', {
        headers: { 'retry-after': '5' },
      });
    }
    throw err;
  }
}
