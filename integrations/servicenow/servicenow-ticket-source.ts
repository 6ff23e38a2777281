import type { ServiceNowConfig } from '../../src/config/servicenow';
import type { TicketEvent, TicketHistory } from '../../src/core/sla/types';
import type { TicketQuery, TicketSource } from '../../src/ports/ticket-source';
import { retryRateLimited } from '../http/retry-rate-limited';
import type { GatedTransport } from '../lanes/remote-lane-driver';
import { cell } from '../../src/sla/servicenow-values';
import { fromThrown, toIntegrationError, type ServiceNowApi } from './client';
import { encodedQuery } from './encoded-query';
import { auditEvents, tableApiDate, type AuditRow } from './servicenow-audit';
import { createConfiguredServiceNowClient } from './servicenow-ticket-system';

/** Options of the ServiceNow Table API source. */
export interface ServiceNowTicketSourceOptions {
  /** Credentials (Basic or OAuth), timeout and concurrency, as for the ticket adapter. */
  config: ServiceNowConfig;
  /** Instance URL (`config.instanceUrl`), or an emulator's URL. */
  baseUrl: string;
  /**
   * A ServiceNow lane driver of the report's own: its concurrency and Retry-After gate hold for every
   * request, and a rate-limited read retries at its gate.
   */
  transport: GatedTransport;
  fetch?: typeof fetch;
  /** Rows per Table API page (sysparm_limit); ServiceNow recommends staying well below 10,000. */
  pageSize?: number;
  /** Incidents whose audit history is fetched in one sys_audit query (documentkeyIN…). */
  auditBatch?: number;
}

/** The SLA report's ServiceNow source, talking through the same client as the ticket adapter. */
export function createServiceNowTicketSource(o: ServiceNowTicketSourceOptions): TicketSource {
  return new ServiceNowTicketSource(createConfiguredServiceNowClient(o), o);
}

type Row = Record<string, string>;

/** The paging and value parameters every read sends. */
interface PageQuery {
  sysparm_display_value: 'false';
  sysparm_exclude_reference_link: true;
  sysparm_limit: number;
  sysparm_offset: number;
}
/** What an openapi-fetch list call resolves to. */
interface TableAnswer<R> {
  data?: { result: R[] };
  error?: unknown;
  response: Response;
}

const INCIDENT_FIELDS =
  'sys_id,number,opened_at,state,hold_reason,priority,assignment_group,location.name,cmdb_ci.name,category,made_sla';
const AUDITED = ['state', 'hold_reason', 'priority', 'assignment_group'];

/** `2016-03-01 00:00:00` (UTC), the literal form encoded queries accept for date-time fields. */
const literal = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * Values as strings: raw values with `sysparm_exclude_reference_link` are strings already, a reference
 * that still comes as `{link, value}` gives its value.
 */
function flat(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string') out[k] = v;
    else if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') out[k] = v.value;
  }
  return out;
}

/**
 * Incidents from the Table API: those opened before the end of the window and resolved after its start
 * (or not at all), paged with sysparm_offset/sysparm_limit; their state, hold reason, priority and
 * assignment history from `sys_audit` (read access to sys_audit is often admin-only, see
 * docs/sla-report.md). Values are requested raw (`sysparm_display_value=false`), so times are UTC.
 */
class ServiceNowTicketSource implements TicketSource {
  readonly name = 'servicenow';

  constructor(
    private readonly api: ServiceNowApi,
    private readonly options: ServiceNowTicketSourceOptions,
  ) {}

  async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
    const groups = await this.groupNames();
    const incidents = encodedQuery`opened_at<${literal(query.to)}^resolved_at>=${literal(query.from)}^ORresolved_atISEMPTY^ORDERBYopened_at`;
    let done = 0;
    const pages = this.pages('list incident', (page) =>
      this.api.GET('/api/now/table/incident', {
        params: { query: { ...page, sysparm_query: incidents, sysparm_fields: INCIDENT_FIELDS } },
      }),
    );
    for await (const page of pages) {
      const rows = page.rows.map(flat);
      const batch = this.options.auditBatch ?? 100;
      for (let i = 0; i < rows.length; i += batch) {
        const slice = rows.slice(i, i + batch);
        const audit = await this.audit(slice.map((r) => r.sys_id ?? ''));
        for (const inc of slice) {
          const t = this.toTicket(inc, audit.get(inc.sys_id ?? '') ?? [], groups);
          if (t) yield t;
        }
      }
      done += rows.length;
      query.onProgress?.({ tickets: done, done, ...(page.total !== null ? { total: page.total } : {}) });
    }
  }

  /** The audited fields' changes of these incidents, per incident in the order they happened. */
  private async audit(ids: string[]): Promise<Map<string, AuditRow[]>> {
    const q = encodedQuery`tablename=incident^documentkeyIN${ids}^fieldnameIN${AUDITED}^ORDERBYsys_created_on`;
    const fields = 'documentkey,fieldname,oldvalue,newvalue,sys_created_on';
    const audit = new Map<string, AuditRow[]>();
    const pages = this.pages('list sys_audit', (page) =>
      this.api.GET('/api/now/table/sys_audit', {
        params: { query: { ...page, sysparm_query: q, sysparm_fields: fields } },
      }),
    );
    for await (const a of pages) {
      for (const r of a.rows) {
        const row: AuditRow = {
          documentkey: r.documentkey ?? '',
          fieldname: r.fieldname ?? '',
          oldvalue: r.oldvalue ?? '',
          newvalue: r.newvalue ?? '',
          sys_created_on: r.sys_created_on ?? '',
        };
        audit.set(row.documentkey, [...(audit.get(row.documentkey) ?? []), row]);
      }
    }
    return audit;
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
    const pages = this.pages('list sys_user_group', (page) =>
      this.api.GET('/api/now/table/sys_user_group', {
        params: { query: { ...page, sysparm_query: 'ORDERBYname', sysparm_fields: 'sys_id,name' } },
      }),
    );
    for await (const page of pages) {
      for (const g of page.rows) if (g.sys_id && g.name) names.set(g.sys_id, g.name);
    }
    return names;
  }

  /**
   * Pages of one list call, each one read retried after a rate limit. ServiceNow applies row ACLs after
   * `sysparm_limit`, so a page may come back short (even empty) while more rows follow: the offset moves
   * by the limit, not by the rows received. Paging ends with the page that reaches `X-Total-Count` (the
   * rows matching the query, counted before the ACLs), or without a count at the first empty page.
   */
  private async *pages<R>(
    operation: string,
    list: (page: PageQuery) => Promise<TableAnswer<R>>,
  ): AsyncIterable<{ rows: R[]; total: number | null }> {
    const limit = this.options.pageSize ?? 500;
    for (let offset = 0; ; offset += limit) {
      const page: PageQuery = {
        sysparm_display_value: 'false',
        sysparm_exclude_reference_link: true,
        sysparm_limit: limit,
        sysparm_offset: offset,
      };
      const { transport } = this.options;
      const answer = await retryRateLimited(transport.gate, async () => {
        const out = await list(page).catch((err: unknown) => {
          throw fromThrown(operation, err);
        });
        if (!out.response.ok || !out.data)
          throw toIntegrationError(
            operation,
            { response: out.response, error: out.error },
            transport.clock.now().getTime(),
          );
        return { rows: out.data.result, headers: out.response.headers };
      });
      const total = Number(answer.headers.get('x-total-count'));
      const known = Number.isFinite(total) && answer.headers.has('x-total-count');
      yield { rows: answer.rows, total: known ? total : null };
      if (known ? offset + limit >= total : answer.rows.length === 0) return;
    }
  }
}
