import type { EmuIssue, JiraState } from './state';

/**
 * The JQL subset our adapter and tests use: `field = value`, `!=`, `in (…)`, `~` (contains) on project,
 * key, labels, summary, status, statusCategory, issuetype and `issue.property[key].path`, joined by AND/OR
 * (AND binds tighter), and `ORDER BY field [ASC|DESC]`. Anything else is a 400, as in Jira.
 */
type Clause = { field: string; op: '=' | '!=' | 'in' | 'not in' | '~'; values: string[] };
export interface Jql {
  /** OR of AND-groups. */
  where: Clause[][];
  orderBy: { field: string; desc: boolean } | null;
}

const TOKEN =
  /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|!=|!~|[=~(),]|issue\.property\[[^\]]+\][\w.]*|[^\s=!~(),]+)/y;

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
    if (!['=', '!=', 'in', 'not in', '~'].includes(op))
      throw new JqlError(`The operator '${op}' is not supported.`);
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

export function matchesJql(state: JiraState, issue: EmuIssue, q: Jql): boolean {
  return q.where.some((group) => group.every((c) => test(fieldValues(state, issue, c.field), c)));
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
  }
}

const unquote = (t: string): string =>
  (t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))
    ? t.slice(1, -1).replace(/\\(.)/g, '$1')
    : t;

/** A JQL the emulator cannot evaluate; answered as Jira does (400 with errorMessages). */
export class JqlError extends Error {}
