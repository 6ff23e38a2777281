import { createHmac, randomUUID } from 'node:crypto';
import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { jiraError, renderIssue, type JiraContext } from './context';
import { readJson } from './issues-api';
import type { ChangelogEntry, EmuIssue } from './state';
import { renderUser } from './users-api';

/** An admin webhook (`POST /rest/webhooks/1.0/webhook`): where to deliver, which events, the secret. */
export interface EmuWebhook {
  id: number;
  name: string;
  url: string;
  events: string[];
  /** Signs deliveries `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` when set. */
  secret: string | null;
}

/** One delivery as the emulator made it (tests read these). */
export interface EmuDelivery {
  identifier: string;
  event: string;
  issue: string;
  attempts: number;
  /** The last HTTP status, or null after a connection failure; `dropped` deliveries are never sent. */
  status: number | null;
  dropped: boolean;
}

/** Runtime knobs of the delivery: tests drop or repeat deliveries and shorten Jira's retry back-off. */
export interface WebhookSettings {
  /** The next N deliveries are lost (Jira "may not deliver"): the bridge's JQL sweep must find them. */
  dropNext: number;
  /** Each delivery is sent this many times (Jira "may deliver twice"), same identifier. */
  copies: number;
  /** Waits before retry 1, 2, … (Jira Cloud retries up to 5 times with back-off). */
  retryDelaysMs: number[];
}

/** Jira retries on these statuses, on connection failures and timeouts; any other answer is final. */
const RETRIED = new Set([408, 409, 425, 429]);
const retried = (status: number | null) => status === null || RETRIED.has(status) || status >= 500;

/**
 * Webhook delivery of the Jira emulator: issue updates (with their changelog) and comments are posted
 * to every registered webhook subscribed to the event, signed, with an `X-Atlassian-Webhook-Identifier`
 * that stays the same on every retry and `X-Atlassian-Webhook-Retry` counting them, asynchronously
 * (the API answer never waits for a delivery).
 */
export class WebhookDispatcher {
  readonly hooks: EmuWebhook[] = [];
  readonly deliveries: EmuDelivery[] = [];
  readonly settings: WebhookSettings = {
    dropNext: 0,
    copies: 1,
    retryDelaysMs: [100, 500, 2000, 5000, 10000],
  };
  readonly #pending = new Set<Promise<void>>();

  /** `POST|GET /rest/webhooks/1.0/webhook`. */
  route(req: EmuRequest): EmuResponse {
    if (req.method === 'GET')
      return { status: 200, body: this.hooks.map((h) => ({ ...h, secret: undefined })) };
    if (req.method !== 'POST') return jiraError(405, ['Method not allowed']);
    const body = readJson(req);
    if (!isRecord(body) || typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))
      return jiraError(400, [], { url: 'A valid URL is required.' });
    const events = Array.isArray(body.events) ? body.events.map(String) : [];
    if (events.length === 0) return jiraError(400, [], { events: 'At least one event is required.' });
    const hook = this.register({
      name: typeof body.name === 'string' ? body.name : 'webhook',
      url: body.url,
      events,
      secret: typeof body.secret === 'string' && body.secret ? body.secret : null,
    });
    return {
      status: 201,
      body: { ...hook, secret: undefined, self: `/rest/webhooks/1.0/webhook/${hook.id}` },
    };
  }

  register(h: Omit<EmuWebhook, 'id'>): EmuWebhook {
    const hook = { ...h, id: this.hooks.length + 1 };
    this.hooks.push(hook);
    return hook;
  }

  /** An issue changed (its newest changelog entry), optionally with a comment added in the same step. */
  issueUpdated(
    ctx: JiraContext,
    issue: EmuIssue,
    entry: ChangelogEntry,
    comment?: EmuIssue['comments'][number],
  ) {
    this.#emit(ctx, 'jira:issue_updated', issue, entry.author, {
      issue_event_type_name: entry.items.some((i) => i.field === 'status')
        ? 'issue_generic'
        : 'issue_updated',
      changelog: { id: entry.id, items: entry.items },
      ...(comment ? { comment: renderComment(ctx, comment) } : {}),
    });
  }

  commentCreated(ctx: JiraContext, issue: EmuIssue, comment: EmuIssue['comments'][number]) {
    this.#emit(ctx, 'comment_created', issue, comment.author, { comment: renderComment(ctx, comment) });
  }

  /**
   * `attachment_created`, as Jira sends it: the attachment only, no issue (the `jira:issue_updated`
   * with its `Attachment` changelog item is what names the issue).
   */
  attachmentCreated(ctx: JiraContext, issue: EmuIssue, attachment: { author: unknown }) {
    const author = (attachment.author as { accountId?: string }).accountId ?? ctx.actor;
    this.#emit(ctx, 'attachment_created', issue, author, { attachment }, false);
  }

  /** Resolves once every delivery started so far has finished (its retries included). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #emit(
    ctx: JiraContext,
    event: string,
    issue: EmuIssue,
    author: string,
    extra: Record<string, unknown>,
    withIssue = true,
  ) {
    const hooks = this.hooks.filter((h) => h.events.includes(event) || h.events.includes('*'));
    if (hooks.length === 0) return;
    const user = ctx.state.users.find((u) => u.accountId === author);
    const body = JSON.stringify({
      timestamp: ctx.now(),
      webhookEvent: event,
      user: user ? renderUser(ctx, user) : { accountId: author },
      ...(withIssue ? { issue: renderIssue(ctx, issue, null) } : {}),
      ...extra,
    });
    for (const hook of hooks) {
      const delivery: EmuDelivery = {
        identifier: randomUUID(),
        event,
        issue: issue.key,
        attempts: 0,
        status: null,
        dropped: false,
      };
      this.deliveries.push(delivery);
      if (this.settings.dropNext > 0) {
        this.settings.dropNext -= 1;
        delivery.dropped = true;
        continue;
      }
      for (let copy = 0; copy < this.settings.copies; copy++)
        this.#track(this.#deliver(hook, delivery, body));
    }
  }

  #track(p: Promise<void>) {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async #deliver(hook: EmuWebhook, d: EmuDelivery, body: string): Promise<void> {
    for (let retry = 0; ; retry++) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-atlassian-webhook-identifier': d.identifier,
        'x-atlassian-webhook-flow': 'Primary',
        ...(retry > 0 ? { 'x-atlassian-webhook-retry': String(retry) } : {}),
        ...(hook.secret
          ? { 'x-hub-signature': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}` }
          : {}),
      };
      d.attempts += 1;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        d.status = res.status;
      } catch {
        d.status = null;
      }
      const wait = this.settings.retryDelaysMs[retry];
      if (!retried(d.status) || wait === undefined) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function renderComment(ctx: JiraContext, c: EmuIssue['comments'][number]) {
  const user = ctx.state.users.find((u) => u.accountId === c.author);
  return {
    id: c.id,
    body: c.body,
    author: user ? renderUser(ctx, user) : { accountId: c.author },
    created: c.created,
    updated: c.created,
    jsdPublic: c.jsdPublic,
  };
}
