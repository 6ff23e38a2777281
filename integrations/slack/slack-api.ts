import { WebClient, LogLevel, type Logger as SlackLogger, type View } from '@slack/web-api';
import NodeCache from 'node-cache';
import type { ChatMessageRef } from '../../src/ports/chat';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type { BlockMessage, SlackView } from './presenters/blocks';
import { IntegrationError } from '../../src/errors';
import { toIntegrationError } from './slack-error';

export interface SlackApiOptions {
  /** Bot token (`xoxb-…`). */
  token: string;
  /** Web API base URL with a trailing slash; default Slack's. Sandbox: `${bridgeUrl}/sandbox/slack/api/`. */
  apiUrl?: string;
  logger?: Logger;
  /** Per-request timeout; 0 = none. Default 10 s. */
  timeoutMs?: number;
  /** e.g. a gated fetch that honours Retry-After across calls. */
  fetch?: typeof fetch;
  /** Reads an HTTP-date Retry-After. */
  clock: Clock;
}

/** A file to share, e.g. a report rendered as HTML and CSV. */
export interface SlackFile {
  name: string;
  content: Buffer;
  title?: string;
}

const USER_TTL_SECONDS = 600;
const USERGROUP_TTL_SECONDS = 300;

/**
 * The Slack Web API calls the bridge makes, over `@slack/web-api`'s WebClient with its own retries and
 * rate-limit waiting switched off: our outbox retries, and a 429 surfaces as a retryable IntegrationError
 * carrying Retry-After. Every method throws IntegrationError only.
 */
export class SlackApi {
  readonly client: WebClient;
  readonly #users = new NodeCache({ stdTTL: USER_TTL_SECONDS, checkperiod: 0, useClones: false });
  readonly #groups = new NodeCache({ stdTTL: USERGROUP_TTL_SECONDS, checkperiod: 0, useClones: false });
  readonly #clock: Clock;

  constructor(o: SlackApiOptions) {
    this.#clock = o.clock;
    this.client = new WebClient(o.token, {
      ...(o.apiUrl ? { slackApiUrl: o.apiUrl.endsWith('/') ? o.apiUrl : `${o.apiUrl}/` } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: o.timeoutMs ?? 10_000,
      ...(o.fetch ? { fetch: o.fetch } : {}),
      logger: slackLogger(o.logger, 'slack web-api'),
    });
  }

  /** Verifies the token; the bot user id is needed to recognise our own messages. */
  async authTest(): Promise<{ teamId: string; userId: string; botId: string | null }> {
    const r = await this.#call('auth.test', () => this.client.auth.test());
    return { teamId: r.team_id ?? '', userId: r.user_id ?? '', botId: r.bot_id ?? null };
  }

  /** Posts into a channel (id, `#name` or name; Slack answers with the id) or a thread. */
  async postMessage(channel: string, message: BlockMessage, threadTs?: string): Promise<ChatMessageRef> {
    const r = await this.#call(
      'chat.postMessage',
      () =>
        this.client.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
        }),
      channel,
    );
    if (!r.channel || !r.ts)
      throw toIntegrationError('chat.postMessage', new Error('answer without channel/ts'), this.#nowMs());
    return { channel: r.channel, ts: r.ts };
  }

  /** Redraws a message in place (`blocks` omitted keeps the old ones, so always send them). */
  async updateMessage(ref: ChatMessageRef, message: BlockMessage): Promise<void> {
    await this.#call('chat.update', () =>
      this.client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        text: message.text,
        blocks: message.blocks ?? [],
      }),
    );
  }

  async deleteMessage(ref: ChatMessageRef): Promise<void> {
    await this.#call('chat.delete', () => this.client.chat.delete({ channel: ref.channel, ts: ref.ts }));
  }

  /** A message only `user` sees (refusals, help) — not kept by Slack after a reload. */
  async postEphemeral(
    channel: string,
    user: string,
    message: BlockMessage,
    threadTs?: string,
  ): Promise<void> {
    await this.#call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        channel,
        user,
        text: message.text,
        ...(message.blocks ? { blocks: message.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
  }

  /** Opens a modal; `triggerId` comes from the interaction and is valid for about 3 s. */
  async openView(triggerId: string, view: SlackView): Promise<{ viewId: string }> {
    const r = await this.#call('views.open', () =>
      this.client.views.open({ trigger_id: triggerId, view: view as View }),
    );
    return { viewId: r.view?.id ?? '' };
  }

  async updateView(viewId: string, view: SlackView): Promise<void> {
    await this.#call('views.update', () => this.client.views.update({ view_id: viewId, view: view as View }));
  }

  /** Publishes the App Home tab of one user. */
  async publishHome(userId: string, view: SlackView): Promise<void> {
    await this.#call('views.publish', () =>
      this.client.views.publish({ user_id: userId, view: view as View }),
    );
  }

  /** Shares files in a channel (or thread) with one comment, via the external upload flow (filesUploadV2). */
  async uploadFiles(
    channel: string,
    files: SlackFile[],
    comment?: string,
    threadTs?: string,
  ): Promise<{ fileIds: string[] }> {
    if (files.length === 0) return { fileIds: [] };
    const r = (await this.#call('files.uploadV2', () =>
      this.client.filesUploadV2({
        channel_id: channel,
        ...(comment ? { initial_comment: comment } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        file_uploads: files.map((f) => ({ file: f.content, filename: f.name, title: f.title ?? f.name })),
      }),
    )) as { files?: { files?: { id?: string }[] }[] };
    return { fileIds: (r.files ?? []).flatMap((c) => (c.files ?? []).map((f) => f.id ?? '')) };
  }

  /**
   * Display name (real name, else handle) and e-mail (needs `users:read.email`) of a user, from
   * `users.info`, cached for 10 minutes.
   */
  async userProfile(userId: string): Promise<{ name: string; email: string | null }> {
    const hit = this.#users.get<{ name: string; email: string | null }>(userId);
    if (hit) return hit;
    const r = await this.#call('users.info', () => this.client.users.info({ user: userId }));
    const profile = {
      name: r.user?.real_name || r.user?.profile?.real_name || r.user?.name || userId,
      email: r.user?.profile?.email ?? null,
    };
    this.#users.set(userId, profile);
    return profile;
  }

  /** The user's e-mail, null when Slack has none (or the scope is missing); cached like userProfile. */
  async userEmail(userId: string): Promise<string | null> {
    return (await this.userProfile(userId)).email;
  }

  /** Member user ids of a user group (`S…`), cached for 5 minutes; for authorisation by group. */
  async usergroupMembers(groupId: string): Promise<string[]> {
    const hit = this.#groups.get<string[]>(groupId);
    if (hit) return hit;
    const r = await this.#call('usergroups.users.list', () =>
      this.client.usergroups.users.list({ usergroup: groupId }),
    );
    const users = r.users ?? [];
    this.#groups.set(groupId, users);
    return users;
  }

  /** Forgets cached e-mails and group members (e.g. after a membership change). */
  clearCaches(): void {
    this.#users.flushAll();
    this.#groups.flushAll();
  }

  /**
   * Slack rate-limits each Web API method on its own (tiers per method; chat.postMessage also per
   * channel): after a 429 no call of that method goes out until its Retry-After has passed. The outbox
   * lanes have their own gate; this one also covers the calls slash commands and buttons make directly.
   */
  async #call<T>(method: string, fn: () => Promise<T>, scope?: string): Promise<T> {
    const key = scope === undefined ? method : `${method} ${scope}`;
    const wait = (this.#limitedUntil.get(key) ?? 0) - this.#nowMs();
    if (wait > 0)
      throw new IntegrationError(
        'slack',
        method,
        429,
        'rate limited (Retry-After not passed yet)',
        true,
        Math.ceil(wait / 1000),
      );
    try {
      return await fn();
    } catch (err) {
      const failure = toIntegrationError(method, err, this.#nowMs());
      if (failure.status === 429 && failure.retryAfterSeconds !== null)
        this.#limitedUntil.set(key, this.#nowMs() + failure.retryAfterSeconds * 1000);
      throw failure;
    }
  }
  readonly #limitedUntil = new Map<string, number>();

  #nowMs(): number {
    return this.#clock.now().getTime();
  }
}

/** WebClient logs through our logger (its own default prints to the console). */
/** Slack's logger interface (Web API, Bolt) on top of ours, each line prefixed with its source. */
export function slackLogger(logger: Logger | undefined, source: string): SlackLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => logger?.debug(`${source}: ${join(msg)}`),
    info: (...msg) => logger?.info(`${source}: ${join(msg)}`),
    warn: (...msg) => logger?.warn(`${source}: ${join(msg)}`),
    error: (...msg) => logger?.error(`${source}: ${join(msg)}`),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
