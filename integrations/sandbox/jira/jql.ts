import type { EmuIssue, JiraState } from './state';

/**
 * The JQL subset our adapter and tests use: `field = value`, `!=`, `in (…)`, `~` (contains) on project,
 * key, labels, summary, status, statusCategory, issuetype and `issue.property[key].path`, joined by AND/OR
 * (AND binds tighter), `>=`/`<=`/`>`/`<` on `updated` and `created` (relative `-15m`, `-2h`, `-1d`, `-1w`
 * or a date `"yyyy-MM-dd[ HH:mm]"`, UTC), and `ORDER BY field [ASC|DESC]`. Anything else is a 400.
 */
type Op = '=' | '!=' | 'in' | 'not in' | '~' | '>=' | '<=' | '>' | '<';
type Clause = { field: string; op: Op; values: string[] };
const OPS: readonly string[] = ['=', '!=', 'in', 'not in', '~', '>=', '<=', '>', '<'];
/** Fields compared by time (`updated >= -15m`, `created < "2026-11-02 08:00"`). */
const TIME_FIELDS = new Set(['updated', 'created']);
export interface Jql {
  /** OR of AND-groups. */
  where: Clause[][];
  orderBy: { field: string; desc: boolean } | null;
}

const TOKEN =
  /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|!=|!~|>=|<=|[=~(),<>]|issue\.property\[[^\]]+\][\w.]*|[^\s=!~(),]+)/y;

export function parseJql(jql: string): Jql {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < jql.length && (m = TOKEN.exec(jql))) if (m[1]) tokens.push(m[1]);
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new JqlError('Unexpected end of JQL query.');
    return t;
  };
  const where: Clause[][] = [[]];
  let orderBy: Jql['orderBy'] = null;
  while (pos < tokens.length) {
    if (peek() === 'order') {
      pos++;
      if (peek() !== 'by') throw new JqlError("Expecting 'by' after 'order'.");
      pos++;
      const field = next().toLowerCase();
      const dir = peek();
      if (dir === 'asc' || dir === 'desc') pos++;
      orderBy = { field, desc: dir === 'desc' };
      continue;
    }
    const raw = next();
    // Property paths are case-sensitive JSON keys; field names are not.
    const field = raw.startsWith('issue.property[') ? raw : raw.toLowerCase();
    let op = next().toLowerCase();
    if (op === 'not' && peek() === 'in') {
      pos++;
      op = 'not in';
    }
    if (!OPS.includes(op)) throw new JqlError(`The operator '${op}' is not supported.`);
    if (['>=', '<=', '>', '<'].includes(op) && !TIME_FIELDS.has(field))
      throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
    const values: string[] = [];
    if (op === 'in' || op === 'not in') {
      if (next() !== '(') throw new JqlError("Expecting '(' after 'in'.");
      for (let t = next(); t !== ')'; t = next()) if (t !== ',') values.push(unquote(t));
    } else values.push(unquote(next()));
    where[where.length - 1]?.push({ field, op: op as Clause['op'], values });
    const conj = peek();
    if (conj === 'and') pos++;
    else if (conj === 'or') {
      pos++;
      where.push([]);
    }
  }
  return { where, orderBy };
}

/** Whether the issue matches; `nowMs` is the emulator's clock (relative times such as `-15m`). */
export function matchesJql(state: JiraState, issue: EmuIssue, q: Jql, nowMs: number): boolean {
  return q.where.some((group) =>
    group.every((c) =>
      TIME_FIELDS.has(c.field)
        ? compareTime(issue[c.field === 'updated' ? 'updated' : 'created'], c, nowMs)
        : test(fieldValues(state, issue, c.field), c),
    ),
  );
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `-15m` (relative to now) or `yyyy-MM-dd[ HH:mm]` (UTC) as epoch ms. */
function timeOf(v: string, nowMs: number): number {
  const rel = /^-?(\d+)([mhdw])$/.exec(v.trim());
  if (rel)
    return nowMs - (v.trim().startsWith('-') ? 1 : -1) * Number(rel[1]) * (UNIT_MS[rel[2] ?? 'm'] ?? 60_000);
  const abs = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}))?$/.exec(v.trim());
  if (abs) return Date.parse(`${abs[1]}T${abs[2] ?? '00:00'}:00Z`);
  throw new JqlError(`Date value '${v}' for field is invalid.`);
}

function compareTime(actual: number, c: Clause, nowMs: number): boolean {
  const t = timeOf(c.values[0] ?? '', nowMs);
  switch (c.op) {
    case '>=':
      return actual >= t;
    case '<=':
      return actual <= t;
    case '>':
      return actual > t;
    case '<':
      return actual < t;
    case '=':
      return actual === t;
    default:
      throw new JqlError(`The operator '${c.op}' is not supported by the date fields.`);
  }
}

export function sortByJql(issues: EmuIssue[], q: Jql): EmuIssue[] {
  const o = q.orderBy;
  if (!o) return [...issues].sort((a, b) => b.created - a.created || Number(b.id) - Number(a.id));
  const val = (i: EmuIssue) =>
    o.field === 'created'
      ? i.created
      : o.field === 'updated'
        ? i.updated
        : o.field === 'key'
          ? Number(i.id)
          : 0;
  return [...issues].sort(
    (a, b) => (o.desc ? val(b) - val(a) : val(a) - val(b)) || Number(a.id) - Number(b.id),
  );
}

function fieldValues(state: JiraState, issue: EmuIssue, field: string): string[] {
  const status = state.statuses.find((s) => s.id === issue.statusId);
  const prop = /^issue\.property\[([^\]]+)\]\.?(.*)$/.exec(field);
  if (prop) {
    let v: unknown = issue.properties.get(prop[1] ?? '');
    for (const part of (prop[2] ?? '').split('.').filter(Boolean))
      v = (v as Record<string, unknown> | undefined)?.[part];
    return v === undefined || v === null ? [] : [String(v)];
  }
  switch (field) {
    case 'project':
      return [issue.projectKey];
    case 'key':
    case 'issuekey':
    case 'id':
      return [issue.key, issue.id];
    case 'labels':
      return issue.labels;
    case 'summary':
    case 'text':
      return [issue.summary];
    case 'status':
      return status ? [status.name, status.id] : [];
    case 'statuscategory':
      return status
        ? [status.category, { new: 'To Do', indeterminate: 'In Progress', done: 'Done' }[status.category]]
        : [];
    case 'issuetype':
    case 'type':
      return [issue.issueType];
    default:
      throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
}

function test(actual: string[], c: Clause): boolean {
  const lower = actual.map((a) => a.toLowerCase());
  const values = c.values.map((v) => v.toLowerCase());
  switch (c.op) {
    case '=':
    case 'in':
      return values.some((v) => lower.includes(v));
    case '!=':
    case 'not in':
      return !values.some((v) => lower.includes(v));
    case '~':
      return values.some((v) => lower.some((a) => a.includes(v)));
    default:
      throw new JqlError(`The operator '${c.op}' is not supported by this field.`);
  }
}

const unquote = (t: string): string =>
  (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))
    ? t.slice(1, -1).replace(/\\(.)/g, '$1')
    : t;

/** A JQL the emulator cannot evaluate; answered as Jira does (400 with errorMessages). */
export class JqlError extends Error {}
