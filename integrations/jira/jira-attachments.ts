import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { IntegrationError } from '../../src/errors';
import type { TicketAttachment, TicketAttachments, TicketComment } from '../../src/ports/ticket-attachments';
import type { TicketRef } from '../../src/ports/ticket-system';
import { httpFailure, noAnswer, readBounded } from '../http/bounded-body';
import { gatedFetch } from '../http/request-gate';
import { urlUnder } from '../http/url-under';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import type { JiraCredentials } from './client';
import { adfText, jiraInstant } from './jira-remote-changes';

const User = z.looseObject({
  accountId: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
});
const Attachment = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  filename: z.string(),
  mimeType: z.string().optional(),
  size: z.number().int().nonnegative(),
  author: User.optional(),
  created: z.string().optional(),
  content: z.string().optional(),
});
type Attachment = z.infer<typeof Attachment>;
const Comment = z.looseObject({
  id: z.string(),
  body: z.unknown(),
  author: User.optional(),
  created: z.string().optional(),
});

/** Where Jira gives no time: older than any incident, so the drift check leaves the item alone. */
const EPOCH = '1970-01-01T00:00:00.000Z';

export interface JiraAttachmentsOptions {
  baseUrl: string;
  flavour: 'cloud' | 'datacenter';
  credentials: JiraCredentials;
  timeoutMs: number;
  transport: GatedTransport;
}

/**
 * Attachments and comments of Jira issues over plain fetch (jira.js buffers whole bodies): uploads as
 * multipart/form-data with `X-Atlassian-Token: no-check`, downloads read at most `maxBytes`. Every
 * request goes through the Jira lane driver's limit and Retry-After gate; content is only fetched
 * below the configured site (credentials never go elsewhere).
 */
export class JiraAttachments implements TicketAttachments {
  readonly #o: JiraAttachmentsOptions;
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #ours: (url: string) => boolean;
  #me: Promise<string | null> | null = null;

  constructor(o: JiraAttachmentsOptions) {
    this.#o = o;
    this.#base = o.baseUrl.replace(/\/$/, '');
    this.#fetch = gatedFetch(o.transport.gate);
    this.#ours = urlUnder([`${this.#base}/`]);
  }

  get #api(): string {
    return `${this.#base}/rest/api/${this.#o.flavour === 'cloud' ? 3 : 2}`;
  }

  async attachments(ticket: TicketRef, limit: number): Promise<TicketAttachment[]> {
    const res = await this.#json(
      'list attachments',
      `${this.#api}/issue/${encodeURIComponent(ticket.key)}?fields=attachment`,
    );
    const parsed = z
      .looseObject({ fields: z.looseObject({ attachment: z.array(z.unknown()).default([]) }) })
      .parse(res);
    const me = await this.#myself();
    return parsed.fields.attachment
      .flatMap((a) => {
        const p = Attachment.safeParse(a);
        return p.success ? [toAttachment(p.data, me)] : [];
      })
      .slice(0, limit);
  }

  async attachment(_ticket: TicketRef, id: string): Promise<TicketAttachment | null> {
    const meta = await this.#meta(id);
    return meta ? toAttachment(meta, await this.#myself()) : null;
  }

  async download(_ticket: TicketRef, id: string, maxBytes: number): Promise<Buffer | 'too_large'> {
    const meta = await this.#meta(id);
    if (!meta)
      throw new IntegrationError('jira', 'download attachment', 404, `attachment ${id} is gone`, false);
    if (meta.size > maxBytes) return 'too_large';
    const url =
      meta.content && this.#ours(meta.content)
        ? meta.content
        : `${this.#api}/attachment/content/${encodeURIComponent(id)}`;
    const res = await this.#send('download attachment', url, { headers: { Accept: '*/*' } });
    return readBounded(res, maxBytes);
  }

  async upload(
    ticket: TicketRef,
    file: { fileName: string; contentType: string; content: Buffer },
  ): Promise<TicketAttachment> {
    const boundary = `itsm-bridge-${randomBytes(12).toString('hex')}`;
    const name = file.fileName.replace(/["\r\n]/g, '_');
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${file.contentType || 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.#send(
      'upload attachment',
      `${this.#api}/issue/${encodeURIComponent(ticket.key)}/attachments`,
      {
        method: 'POST',
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'X-Atlassian-Token': 'no-check',
          Accept: 'application/json',
        },
        body,
      },
    );
    const [first] = z
      .array(Attachment)
      .min(1)
      .parse(await res.json());
    return toAttachment(first!, await this.#myself());
  }

  async comments(ticket: TicketRef, limit: number): Promise<TicketComment[]> {
    const res = await this.#json(
      'list comments',
      `${this.#api}/issue/${encodeURIComponent(ticket.key)}/comment?orderBy=created&maxResults=${limit}`,
    );
    const parsed = z.looseObject({ comments: z.array(z.unknown()).default([]) }).parse(res);
    const me = await this.#myself();
    return parsed.comments.flatMap((c) => {
      const p = Comment.safeParse(c);
      if (!p.success) return [];
      const author = p.data.author?.accountId ?? p.data.author?.name ?? 'unknown';
      return [
        {
          id: p.data.id,
          body: adfText(p.data.body),
          visibility: 'internal' as const,
          author,
          authorName: p.data.author?.displayName ?? author,
          integration: me !== null && author === me,
          createdAt: jiraInstant(p.data.created) ?? EPOCH,
        },
      ];
    });
  }

  async #meta(id: string): Promise<Attachment | null> {
    const res = await this.#send('attachment', `${this.#api}/attachment/${encodeURIComponent(id)}`, {
      headers: { Accept: 'application/json' },
      allow404: true,
    });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    return Attachment.parse(await res.json());
  }

  /** The bridge's own account (accountId, or the DC username), asked once. */
  #myself(): Promise<string | null> {
    this.#me ??= this.#json('myself', `${this.#api}/myself`)
      .then((b) => {
        const u = User.parse(b);
        return u.accountId ?? u.name ?? null;
      })
      .catch(() => {
        this.#me = null;
        return null;
      });
    return this.#me;
  }

  async #json(operation: string, url: string): Promise<unknown> {
    const res = await this.#send(operation, url, { headers: { Accept: 'application/json' } });
    return res.json();
  }

  async #send(
    operation: string,
    url: string,
    init: { method?: string; headers: Record<string, string>; body?: Buffer; allow404?: boolean },
  ): Promise<Response> {
    const c = this.#o.credentials;
    const authorization =
      c.type === 'basic'
        ? `Basic ${Buffer.from(`${c.email}:${c.apiToken}`).toString('base64')}`
        : `Bearer ${c.token}`;
    const res = await this.#o.transport
      .request(() =>
        this.#fetch(url, {
          method: init.method ?? 'GET',
          headers: { ...init.headers, Authorization: authorization },
          ...(init.body ? { body: init.body } : {}),
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        }),
      )
      .catch((err: unknown) => {
        throw noAnswer('jira', operation, err);
      });
    if (res.ok || (init.allow404 && res.status === 404)) return res;
    throw await httpFailure('jira', operation, res, this.#o.transport.clock.now().getTime());
  }
}

function toAttachment(a: Attachment, me: string | null): TicketAttachment {
  const author = a.author?.accountId ?? a.author?.name ?? 'unknown';
  return {
    id: a.id,
    fileName: a.filename,
    contentType: a.mimeType ?? 'application/octet-stream',
    sizeBytes: a.size,
    sha256: null,
    author,
    authorName: a.author?.displayName ?? author,
    integration: me !== null && author === me,
    createdAt: jiraInstant(a.created) ?? EPOCH,
  };
}
