import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Secret } from '../../src/config/secret';
import type { z } from 'zod';
import type { RemoteChange, RemoteChangeSink } from '../../src/core/sync/remote-change';
import type { Logger } from '../../src/ports/logger';
import { safeEqual } from '../http/auth';
import { parseJson } from '../http/parse-json';
import { readBodyOr413 } from '../http/read-body';
import { sendError, sendJson } from '../http/respond';
import { zodIssues } from '../http/zod-issues';

export interface JiraWebhookDeps {
  /** The admin webhook's secret; without one every delivery is refused (401). */
  secret: Secret | undefined;
  bodyLimit: number;
  /** The sync core (`applyRemoteChanges`); resolves after COMMIT. */
  sink: RemoteChangeSink;
  /**
   * The Jira adapter's reading of a delivery (`integrations/jira/jira-remote-changes.ts`): the change,
   * or null for an event the sync does not use; a body of the wrong shape is a zod error (400).
   */
  toChange(
    body: unknown,
    identifier: string,
  ): { ok: true; change: RemoteChange | null } | { ok: false; error: z.ZodError };
  logger: Logger;
}

const IDENTIFIER = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` (WebSub style, Jira admin webhooks with a
 * secret), compared in constant time before anything is parsed.
 */
export function jiraSignatureValid(header: string | undefined, body: Buffer, secret: Secret): boolean {
  const expected = `sha256=${createHmac('sha256', secret.reveal()).update(body).digest('hex')}`;
  return safeEqual((header ?? '').trim().toLowerCase(), expected);
}

/**
 * `POST /webhooks/jira`: signature first (401, nothing read further), then the delivery's
 * `X-Atlassian-Webhook-Identifier` (stable across Jira's retries: handled once, recorded in the same
 * transaction as its effects by the sync core), then the body. Answers 200 only after the commit, so
 * a failure is a 5xx and Jira delivers again.
 */
export async function receiveJiraWebhook(
  deps: JiraWebhookDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST')
    return sendError(res, 405, 'method_not_allowed', 'use POST', { headers: { allow: 'POST' } });
  const body = await readBodyOr413(req, res, deps.bodyLimit);
  if (body === null) return;
  const signature = req.headers['x-hub-signature'];
  if (
    !deps.secret ||
    !jiraSignatureValid(typeof signature === 'string' ? signature : undefined, body, deps.secret)
  )
    return sendError(
      res,
      401,
      'bad_signature',
      deps.secret
        ? 'missing or wrong X-Hub-Signature'
        : 'no Jira webhook secret is configured (sync.jira.webhookSecret)',
    );
  const identifier = req.headers['x-atlassian-webhook-identifier'];
  if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier))
    return sendError(res, 400, 'invalid_header', 'X-Atlassian-Webhook-Identifier is missing or malformed', {
      issues: [
        { path: 'X-Atlassian-Webhook-Identifier', message: 'required, 1–200 characters [A-Za-z0-9._:-]' },
      ],
    });
  const parsed = parseJson(body);
  if (!parsed.ok) {
    const { error, message, path } = parsed.problem;
    return sendError(res, 400, error, message, path ? { issues: [{ path, message }] } : {});
  }
  const read = deps.toChange(parsed.value, identifier);
  if (!read.ok)
    return sendError(res, 400, 'invalid_payload', 'payload does not match a Jira issue or comment event', {
      issues: zodIssues(read.error),
    });
  const change = read.change;
  if (change) await deps.sink([change]);
  deps.logger.debug('jira webhook handled', { identifier, record: change?.record, used: change !== null });
  sendJson(res, 200, { ok: true, used: change !== null });
}
