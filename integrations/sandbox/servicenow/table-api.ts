import { matches, parseEncodedQuery, sortRows, type Row } from './encoded-query';
import { isRecord, parseJson, type EmuRequest, type EmuResponse } from '../http-util';
import { canReadRow, tableReadRefusal, type ServiceNowRules } from './read-rules';
import { renderOptions, renderRow, snError } from './render';
import { COLUMNS, glideDateTime, priorityFor, sysId, tableRows, type ServiceNowState } from './state';

/** Columns a client may write on incident; others are silently ignored, as the Table API does. */
const WRITABLE = new Set([
  'short_description',
  'description',
  'impact',
  'urgency',
  'state',
  'caller_id',
  'assignment_group',
  'assigned_to',
  'cmdb_ci',
  'correlation_id',
  'correlation_display',
  'close_code',
  'close_notes',
  'category',
  'subcategory',
  'contact_type',
  'hold_reason',
]);
const JOURNAL = ['work_notes', 'comments'] as const;

export interface TableContext {
  state: ServiceNowState;
  now: () => number;
  user: string;
  rules: ServiceNowRules;
  /**
   * Told after each incident update that was written, with the journal entries it added: the push of
   * business-rule.js, an "after update" rule (inserts are not pushed).
   */
  onUpdate?: (incident: Row, journal: Row[]) => void;
}

/** Table API: `/api/now[/v2]/table/{table}[/{sys_id}]`. */
export async function handleTable(req: EmuRequest, ctx: TableContext): Promise<EmuResponse> {
  const m = /^\/api\/now(?:\/v[12])?\/table\/([a-z0-9_]+)(?:\/([^/]+))?$/.exec(req.path);
  const table = m?.[1];
  if (!table) return snError(400, 'Requested URI does not represent any resource', null);
  const rows = tableRows(ctx.state, table);
  if (!rows) return snError(400, `Invalid table ${table}`, null);
  const id = m[2];
  if (req.method === 'GET') {
    const refused = tableReadRefusal(ctx.rules, ctx.user, table);
    if (refused) return refused;
    return id ? getOne(req, ctx, table, rows, id) : list(req, ctx, table, rows);
  }
  if (table !== 'incident')
    return snError(403, 'Operation Failed', 'ACL Exception Insert Failed due to security constraints');
  let body: unknown;
  try {
    body = parseJson(req.body);
  } catch {
    return snError(400, 'Exception while reading request', 'The payload is not valid JSON.');
  }
  if (!isRecord(body)) return snError(400, 'Exception while reading request', 'No request body');
  if (req.method === 'POST' && !id) return createIncident(req, ctx, body);
  if ((req.method === 'PATCH' || req.method === 'PUT') && id) return updateIncident(req, ctx, id, body);
  return snError(405, 'Method not Supported', `HTTP method ${req.method} is not supported for this resource`);
}

function list(req: EmuRequest, ctx: TableContext, table: string, rows: Row[]): EmuResponse {
  const q = parseEncodedQuery(req.query.get('sysparm_query') ?? '', new Set(COLUMNS[table]));
  const hits = sortRows(
    rows.filter((r) => matches(r, q)),
    q,
  );
  const limit = positiveInt(req.query.get('sysparm_limit'), 10000);
  const offset = positiveInt(req.query.get('sysparm_offset'), 0);
  // Row ACLs run on the page already cut by limit/offset: it may come back short with more rows after it.
  const page = hits.slice(offset, offset + limit).filter((r) => canReadRow(ctx.rules, table, ctx.user, r));
  const o = renderOptions(req.query, req.baseUrl);
  const headers: Record<string, string> = {};
  if (req.query.get('sysparm_no_count') !== 'true') headers['X-Total-Count'] = String(hits.length);
  const link = pagingLink(req, table, hits.length, limit, offset);
  if (link) headers.Link = link;
  return { status: 200, headers, body: { result: page.map((r) => renderRow(ctx.state, table, r, o)) } };
}

/** `Link` with first/prev/next/last, omitted entirely when everything fits on one page. */
function pagingLink(
  req: EmuRequest,
  table: string,
  total: number,
  limit: number,
  offset: number,
): string | null {
  if (total <= limit && offset === 0) return null;
  const url = (off: number) => {
    const q = new URLSearchParams(req.query);
    q.set('sysparm_offset', String(off));
    q.set('sysparm_limit', String(limit));
    return `<${req.baseUrl}/api/now/table/${table}?${q.toString()}>`;
  };
  const last = Math.max(0, Math.floor((total - 1) / limit) * limit);
  const parts = [`${url(0)};rel="first"`];
  if (offset > 0) parts.push(`${url(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) parts.push(`${url(offset + limit)};rel="next"`);
  parts.push(`${url(last)};rel="last"`);
  return parts.join(',');
}

function getOne(req: EmuRequest, ctx: TableContext, table: string, rows: Row[], id: string): EmuResponse {
  const row = rows.find((r) => r.sys_id === id);
  if (!row || !canReadRow(ctx.rules, table, ctx.user, row))
    return snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
  return {
    status: 200,
    body: { result: renderRow(ctx.state, table, row, renderOptions(req.query, req.baseUrl)) },
  };
}

function createIncident(req: EmuRequest, ctx: TableContext, body: Record<string, unknown>): EmuResponse {
  const now = glideDateTime(ctx.now());
  const row: Row = {
    sys_id: sysId(),
    number: `INC${String(ctx.state.nextNumber).padStart(7, '0')}`,
    state: '1',
    active: 'true',
    impact: '3',
    urgency: '3',
    short_description: '',
    description: '',
    correlation_id: '',
    correlation_display: '',
    close_code: '',
    close_notes: '',
    caller_id: '',
    assignment_group: '',
    assigned_to: '',
    cmdb_ci: '',
    opened_at: now,
    opened_by: userSysId(ctx),
    resolved_at: '',
    resolved_by: '',
    closed_at: '',
    closed_by: '',
    reopen_count: '0',
    work_notes: '',
    comments: '',
    sys_created_on: now,
    sys_created_by: ctx.user,
    sys_updated_on: now,
    sys_updated_by: ctx.user,
    sys_mod_count: '0',
  };
  const rejected = applyWrite(ctx, row, body, true);
  if (rejected) return rejected;
  ctx.state.nextNumber++;
  ctx.state.incidents.push(row);
  writeJournal(ctx, row, body);
  return {
    status: 201,
    headers: { Location: `${req.baseUrl}/api/now/table/incident/${row.sys_id}` },
    body: { result: renderRow(ctx.state, 'incident', row, renderOptions(req.query, req.baseUrl)) },
  };
}

function updateIncident(
  req: EmuRequest,
  ctx: TableContext,
  id: string,
  body: Record<string, unknown>,
): EmuResponse {
  const row = ctx.state.incidents.find((r) => r.sys_id === id);
  if (!row)
    return snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
  const next = { ...row };
  const rejected = applyWrite(ctx, next, body, false);
  if (rejected) return rejected;
  // An update that changes no column and adds no journal entry is not written (GlideRecord skips it):
  // sys_updated_on and sys_mod_count stay, so a poller sees nothing new.
  const changed = Object.keys(next).some((k) => next[k] !== row[k]);
  const journaled = JOURNAL.some((j) => body[j] !== undefined && body[j] !== null && body[j] !== '');
  if (changed || journaled) {
    next.sys_updated_on = glideDateTime(ctx.now());
    next.sys_updated_by = ctx.user;
    next.sys_mod_count = String(Number(row.sys_mod_count ?? '0') + 1);
    writeAudit(ctx, row, next);
    Object.assign(row, next);
    ctx.onUpdate?.(row, writeJournal(ctx, row, body));
  }
  return {
    status: 200,
    body: { result: renderRow(ctx.state, 'incident', row, renderOptions(req.query, req.baseUrl)) },
  };
}

/**
 * Copies writable fields (stringified) and runs the business rules we rely on. `priority` is not
 * writable: the default data lookup recalculates it from impact × urgency on every insert/update, so
 * a client-sent priority is silently overwritten — it is not an error on a default instance.
 */
function applyWrite(
  ctx: TableContext,
  row: Row,
  body: Record<string, unknown>,
  insert: boolean,
): EmuResponse | null {
  const before = row.state ?? '1';
  for (const [k, v] of Object.entries(body)) {
    if (WRITABLE.has(k) && v !== undefined && v !== null) row[k] = typeof v === 'string' ? v : String(v);
  }
  // A string longer than its column is cut to the dictionary's max_length, silently (no error, no warning).
  row.description = (row.description ?? '').slice(0, ctx.rules.descriptionMaxLength);
  if (body.assigned_to !== undefined && body.assigned_to !== null)
    row.assigned_to = resolveReference(ctx, 'sys_user', row.assigned_to ?? '');
  row.priority = priorityFor(row.impact ?? '3', row.urgency ?? '3');
  const after = row.state ?? '1';
  if (!insert && before === '7' && after !== '7') {
    // Closed incidents are read-only for itil users (OOTB write ACL on closed records).
    return snError(403, 'Operation Failed', 'ACL Exception Update Failed due to security constraints');
  }
  if ((after === '6' || after === '7') && (!row.close_code || !row.close_notes)) {
    // OOTB data policy on resolve/close; data policies apply to web services (REST answers 403).
    const missing = [!row.close_code && 'Resolution code', !row.close_notes && 'Resolution notes'].filter(
      Boolean,
    );
    return snError(
      403,
      'Operation Failed',
      `Data Policy Exception: \n ${missing.map((m) => `${m} is mandatory`).join('\n ')}\n`,
    );
  }
  // The On Hold reason belongs to On Hold: leaving it clears the reason (OOTB "hold reason" business rule).
  if (after !== '3') row.hold_reason = '';
  const now = glideDateTime(ctx.now());
  if (after !== before || insert) {
    if (after === '6') Object.assign(row, { resolved_at: now, resolved_by: userSysId(ctx) });
    if (after === '7') Object.assign(row, { closed_at: now, closed_by: userSysId(ctx), active: 'false' });
    if (after === '8') row.active = 'false';
    if (!insert && (before === '6' || before === '7') && ['1', '2', '3'].includes(after)) {
      Object.assign(row, {
        resolved_at: '',
        resolved_by: '',
        reopen_count: String(Number(row.reopen_count ?? '0') + 1),
      });
    }
  }
  return null;
}

/**
 * `assigned_to` as a default instance stores it: a sys_user sys_id is kept; any other value is tried as
 * the display value (the user's name), and a value matching no user leaves the reference empty — the
 * write itself is not rejected. (Other reference columns are stored as sent; the adapter only writes
 * sys_ids it looked up.)
 */
function resolveReference(ctx: TableContext, table: 'sys_user', value: string): string {
  if (value === '') return '';
  const rows = tableRows(ctx.state, table) ?? [];
  return (rows.find((r) => r.sys_id === value) ?? rows.find((r) => r.name === value))?.sys_id ?? '';
}

/**
 * Writing work_notes/comments appends to sys_journal_field; the incident column itself stays empty.
 * Returns the entries added.
 */
function writeJournal(ctx: TableContext, row: Row, body: Record<string, unknown>): Row[] {
  const added: Row[] = [];
  for (const element of JOURNAL) {
    const value = body[element];
    if (value === undefined || value === null || value === '') continue;
    const entry: Row = {
      sys_id: sysId(),
      element_id: row.sys_id ?? '',
      element,
      name: 'incident',
      value: String(value),
      sys_created_on: glideDateTime(ctx.now()),
      sys_created_by: ctx.user,
    };
    ctx.state.journal.push(entry);
    added.push(entry);
  }
  return added;
}

/**
 * One sys_audit row per changed column of an update (system columns are not audited). Inserts write none:
 * `glide.sys.audit_inserts` is off on a default instance, so a field's value at opening is the first
 * audit row's `oldvalue`.
 */
function writeAudit(ctx: TableContext, before: Row, after: Row): void {
  for (const [fieldname, newvalue] of Object.entries(after)) {
    const oldvalue = before[fieldname] ?? '';
    if (fieldname.startsWith('sys_') || JOURNAL.some((j) => j === fieldname) || oldvalue === newvalue)
      continue;
    ctx.state.audit.push({
      sys_id: sysId(),
      tablename: 'incident',
      documentkey: before.sys_id ?? '',
      fieldname,
      oldvalue,
      newvalue,
      user: ctx.user,
      sys_created_on: after.sys_updated_on ?? glideDateTime(ctx.now()),
    });
  }
}

const userSysId = (ctx: TableContext): string =>
  ctx.state.users.find((u) => u.user_name === ctx.user)?.sys_id ?? '';

function positiveInt(v: string | null, fallback: number): number {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
