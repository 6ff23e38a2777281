import { z } from 'zod';
import { IntegrationError } from '../../src/errors';
import type { TicketAttachment, TicketAttachments, TicketComment } from '../../src/ports/ticket-attachments';
import type { TicketRef } from '../../src/ports/ticket-system';
import { httpFailure, noAnswer, readBounded } from '../http/bounded-body';
import { createServiceNowFetch, type ServiceNowClientOptions } from './client';
import { encodedQuery } from './encoded-query';
import { glideMs } from './servicenow-changes';

const SYS_ID = /^[0-9a-f]{32}$/;
const Meta = z.looseObject({
  sys_id: z.string(),
  file_name: z.string(),
  content_type: z.string().optional(),
  size_bytes: z.string(),
  hash: z.string().optional(),
  sys_created_by: z.string().optional(),
  sys_created_on: z.string().optional(),
});
type Meta = z.infer<typeof Meta>;
const Journal = z.looseObject({
  sys_id: z.string(),
  element: z.string(),
  value: z.string(),
  sys_created_by: z.string().optional(),
  sys_created_on: z.string().optional(),
});

/** ServiceNow's time as ISO; where it gives none, older than any incident (the drift check skips it). */
const isoOf = (glide: string | undefined): string => {
  const ms = glide ? glideMs(glide) : Number.NaN;
  return Number.isNaN(ms) ? '1970-01-01T00:00:00.000Z' : new Date(ms).toISOString();
};

/**
 * Attachments (Attachment API) and journal entries of ServiceNow incidents for the two-way sync: raw
 * bytes in and out, downloads never above `maxBytes`. The metadata's `hash` (hex SHA-256, newer
 * releases) is passed on when it has that shape; older instances leave it out.
 */
export class ServiceNowAttachments implements TicketAttachments {
  readonly #fetch: (input: Request) => Promise<Response>;
  readonly #base: string;
  readonly #o: ServiceNowClientOptions & { integrationUser: string };

  constructor(o: ServiceNowClientOptions & { integrationUser: string }) {
    this.#o = o;
    this.#base = o.baseUrl.replace(/\/$/, '');
    this.#fetch = createServiceNowFetch(o);
  }

  async attachments(ticket: TicketRef, limit: number): Promise<TicketAttachment[]> {
    const q = encodedQuery`table_name=incident^table_sys_id=${sysId(ticket.id)}^ORDERBYsys_created_on`;
    const res = await this.#send(
      'list attachments',
      `/api/now/attachment?${params({ sysparm_query: q, sysparm_limit: String(limit) })}`,
    );
    const rows = z.looseObject({ result: z.array(z.unknown()) }).parse(await res.json()).result;
    return rows.flatMap((r) => {
      const p = Meta.safeParse(r);
      return p.success ? [this.#toAttachment(p.data)] : [];
    });
  }

  async attachment(_ticket: TicketRef, id: string): Promise<TicketAttachment | null> {
    const res = await this.#send('attachment', `/api/now/attachment/${sysId(id)}`, { allow404: true });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    return this.#toAttachment(z.looseObject({ result: Meta }).parse(await res.json()).result);
  }

  async download(_ticket: TicketRef, id: string, maxBytes: number): Promise<Buffer | 'too_large'> {
    const res = await this.#send('download attachment', `/api/now/attachment/${sysId(id)}/file`, {
      accept: '*/*',
    });
    return readBounded(res, maxBytes);
  }

  async upload(
    ticket: TicketRef,
    file: { fileName: string; contentType: string; content: Buffer },
  ): Promise<TicketAttachment> {
    const query = params({
      table_name: 'incident',
      table_sys_id: sysId(ticket.id),
      file_name: file.fileName,
    });
    const res = await this.#send('upload attachment', `/api/now/attachment/file?${query}`, {
      method: 'POST',
      contentType: file.contentType || 'application/octet-stream',
      body: file.content,
    });
    return this.#toAttachment(z.looseObject({ result: Meta }).parse(await res.json()).result);
  }

  async comments(ticket: TicketRef, limit: number): Promise<TicketComment[]> {
    const q = encodedQuery`element_id=${sysId(ticket.id)}^elementINwork_notes,comments^ORDERBYsys_created_on`;
    const query = params({
      sysparm_query: q,
      sysparm_limit: String(limit),
      sysparm_fields: 'sys_id,element,value,sys_created_by,sys_created_on',
    });
    const res = await this.#send('list journal', `/api/now/table/sys_journal_field?${query}`);
    const rows = z.looseObject({ result: z.array(z.unknown()) }).parse(await res.json()).result;
    const entries = rows.flatMap((r): TicketComment[] => {
      const p = Journal.safeParse(r);
      if (!p.success || (p.data.element !== 'work_notes' && p.data.element !== 'comments')) return [];
      const author = p.data.sys_created_by ?? '';
      return [
        {
          id: p.data.sys_id,
          body: p.data.value,
          visibility: p.data.element === 'comments' ? ('customer' as const) : ('internal' as const),
          author,
          authorName: author,
          integration: author === this.#o.integrationUser,
          createdAt: isoOf(p.data.sys_created_on),
        },
      ];
    });
    return [...entries, ...(await this.#closeNotes(ticket))];
  }

  /**
   * The close notes, where set, as one more text of the incident: a Jira resolution comment lands there,
   * not in the journal. Counted as the bridge's own (it is never copied back as a comment).
   */
  async #closeNotes(ticket: TicketRef): Promise<TicketComment[]> {
    const query = params({ sysparm_fields: 'close_notes' });
    const res = await this.#send('close notes', `/api/now/table/incident/${sysId(ticket.id)}?${query}`);
    const row = z
      .looseObject({ result: z.looseObject({ close_notes: z.string().optional() }) })
      .parse(await res.json()).result;
    if (!row.close_notes) return [];
    return [
      {
        id: 'close_notes',
        body: row.close_notes,
        visibility: 'customer',
        author: this.#o.integrationUser,
        authorName: this.#o.integrationUser,
        integration: true,
        createdAt: isoOf(undefined),
      },
    ];
  }

  #toAttachment(m: Meta): TicketAttachment {
    const author = m.sys_created_by ?? '';
    return {
      id: m.sys_id,
      fileName: m.file_name,
      contentType: m.content_type ?? 'application/octet-stream',
      sizeBytes: Number(m.size_bytes) || 0,
      sha256: m.hash && /^[0-9a-f]{64}$/i.test(m.hash) ? m.hash.toLowerCase() : null,
      author,
      authorName: author,
      integration: author === this.#o.integrationUser,
      createdAt: isoOf(m.sys_created_on),
    };
  }

  async #send(
    operation: string,
    path: string,
    init: { method?: string; accept?: string; contentType?: string; body?: Buffer; allow404?: boolean } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: init.accept ?? 'application/json' };
    if (init.contentType) headers['Content-Type'] = init.contentType;
    const req = new Request(`${this.#base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body ? { body: init.body } : {}),
    });
    const res = await this.#fetch(req).catch((err: unknown) => {
      throw noAnswer('servicenow', operation, err);
    });
    if (res.ok || (init.allow404 && res.status === 404)) return res;
    throw await httpFailure('servicenow', operation, res, this.#o.transport.clock.now().getTime());
  }
}

const params = (p: Record<string, string>) => new URLSearchParams(p).toString();

/** A sys_id as ServiceNow writes it; anything else would change the meaning of the URL or query. */
function sysId(id: string): string {
  if (!SYS_ID.test(id))
    throw new IntegrationError('servicenow', 'attachment', null, `not a sys_id: ${id}`, false);
  return id;
}
