import { IntegrationError } from '../errors';
import type { TicketEvent, TicketHistory } from '../core/sla/types';
import type { TicketQuery, TicketSource } from '../ports/ticket-source';
import { cell, tableApiDate } from './servicenow-values';
import { auditEvents, type AuditRow } from './servicenow-audit';

/** Options of the ServiceNow Table API source. */
export interface ServiceNowTicketSourceOptions {
  /** Instance URL, e.g. https://acme.service-now.com, or the sandbox emulator's URL. */
  baseUrl: string;
  /** Value of the Authorization header (Basic or Bearer), fetched per request so tokens can refresh. */
  authorization: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Rows per Table API page (sysparm_limit); ServiceNow recommends staying well below 10,000. */
  pageSize?: number;
  /** Incidents whose audit history is fetched in one sys_audit query (documentkeyIN…). */
  auditBatch?: number;
}

type Row = Record<string, string>;

const INCIDENT_FIELDS =
  'sys_id,number,opened_at,state,hold_reason,priority,assignment_group,location.name,cmdb_ci.name,category,made_sla';
const AUDITED = 'state,hold_reason,priority,assignment_group';

/** `2016-03-01 00:00:00` (UTC), the literal form encoded queries accept for date-time fields. */
const literal = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * Incidents from the Table API: those opened before the end of the window and resolved after its start
 * (or not at all), paged with sysparm_offset/sysparm_limit; their state, hold reason, priority and
 * assignment history from `sys_audit` (read access to sys_audit is often admin-only, see
 * docs/sla-report.md). Values are requested raw (`sysparm_display_value=false`), so times are UTC.
 */
export class ServiceNowTicketSource implements TicketSource {
  readonly name = 'servicenow';
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ServiceNowTicketSourceOptions) {
    this.fetchFn = options.fetch ?? fetch;
  }

  async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
    const groups = await this.groupNames();
    const incidents = `opened_at<${literal(query.to)}^resolved_at>=${literal(query.from)}^ORresolved_atISEMPTY^ORDERBYopened_at`;
    let done = 0;
    for await (const page of this.pages('incident', incidents, INCIDENT_FIELDS)) {
      const batch = this.options.auditBatch ?? 100;
      for (let i = 0; i < page.rows.length; i += batch) {
        const slice = page.rows.slice(i, i + batch);
        const audit = new Map<string, AuditRow[]>();
        const q = `tablename=incident^documentkeyIN${slice.map((r) => r.sys_id).join(',')}^fieldnameIN${AUDITED}^ORDERBYsys_created_on`;
        for await (const a of this.pages(
          'sys_audit',
          q,
          'documentkey,fieldname,oldvalue,newvalue,sys_created_on',
        )) {
          for (const r of a.rows)
            audit.set(r.documentkey ?? '', [
              ...(audit.get(r.documentkey ?? '') ?? []),
              r as unknown as AuditRow,
            ]);
        }
        for (const inc of slice) {
          const t = this.toTicket(inc, audit.get(inc.sys_id ?? '') ?? [], groups);
          if (t) yield t;
        }
      }
      done += page.rows.length;
      query.onProgress?.({ tickets: done, done, ...(page.total !== null ? { total: page.total } : {}) });
    }
  }

  private toTicket(inc: Row, audit: AuditRow[], groups: Map<string, string>): TicketHistory | null {
    const openedAt = tableApiDate(inc.opened_at);
    if (openedAt === null || !inc.sys_id) return null;
    const events: TicketEvent[] = auditEvents(openedAt, inc, audit).map((e) => ({
      ...e,
      ...(e.assignee ? { assignee: groups.get(e.assignee) ?? e.assignee } : {}),
    }));
    return {
      id: inc.sys_id,
      number: inc.number ?? inc.sys_id,
      openedAt,
      events,
      branch: cell(inc['location.name']),
      service: cell(inc['cmdb_ci.name']),
      category: cell(inc.category),
      externalMadeSla: inc.made_sla === 'true' ? true : inc.made_sla === 'false' ? false : null,
    };
  }

  /** Assignment group sys_id → name, so providers appear by name. */
  private async groupNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for await (const page of this.pages('sys_user_group', 'ORDERBYname', 'sys_id,name')) {
      for (const g of page.rows) if (g.sys_id && g.name) names.set(g.sys_id, g.name);
    }
    return names;
  }

  private async *pages(
    table: string,
    sysparmQuery: string,
    fields: string,
  ): AsyncIterable<{ rows: Row[]; total: number | null }> {
    const limit = this.options.pageSize ?? 500;
    for (let offset = 0; ; offset += limit) {
      const url = new URL(`/api/now/table/${table}`, this.options.baseUrl);
      url.search = new URLSearchParams({
        sysparm_query: sysparmQuery,
        sysparm_fields: fields,
        sysparm_display_value: 'false',
        sysparm_exclude_reference_link: 'true',
        sysparm_limit: String(limit),
        sysparm_offset: String(offset),
      }).toString();
      const res = await this.fetchFn(url, {
        headers: { accept: 'application/json', authorization: await this.options.authorization() },
      });
      if (!res.ok) {
        const retryAfter = Number(res.headers.get('retry-after'));
        throw new IntegrationError(
          'servicenow',
          `list ${table}`,
          res.status,
          `HTTP ${res.status}`,
          res.status === 429 || res.status >= 500,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
        );
      }
      const body = (await res.json()) as { result?: Row[] };
      const rows = body.result ?? [];
      const total = Number(res.headers.get('x-total-count'));
      yield { rows, total: Number.isFinite(total) && res.headers.has('x-total-count') ? total : null };
      if (rows.length < limit) return;
    }
  }
}
