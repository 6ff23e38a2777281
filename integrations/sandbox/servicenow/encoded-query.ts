/**
 * ServiceNow encoded queries, the subset we and our tests use: `^` (AND), `^OR` (OR with the previous
 * condition), `^NQ` (OR between whole groups), `ORDERBY` / `ORDERBYDESC`, and the operators below.
 * https://www.servicenow.com/docs/ (Table API: sysparm_query; "Encoded query strings")
 */
export type Row = Record<string, string>;

const OPERATORS = [
  'NOT LIKE',
  'NOT IN',
  'ISNOTEMPTY',
  'ISEMPTY',
  'STARTSWITH',
  'ENDSWITH',
  'LIKE',
  'IN',
  '!=',
  '>=',
  '<=',
  '=',
  '>',
  '<',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Condition {
  field: string;
  op: Operator;
  value: string;
}

export interface ParsedQuery {
  /** OR of groups (`^NQ`); each group is an AND of OR-clauses. */
  groups: Condition[][][];
  orderBy: { field: string; desc: boolean }[];
}

/**
 * Parses `query`. Conditions on fields not in `knownFields` are dropped silently, as ServiceNow does
 * unless `glide.invalid_query.returns_no_rows=true` — which is why a typo returns *more* rows.
 */
export function parseEncodedQuery(query: string, knownFields: ReadonlySet<string>): ParsedQuery {
  const parsed: ParsedQuery = { groups: [], orderBy: [] };
  for (const groupText of query.split('^NQ')) {
    const group: Condition[][] = [];
    for (const token of groupText.split('^')) {
      if (!token) continue;
      if (token.startsWith('ORDERBYDESC')) {
        parsed.orderBy.push({ field: token.slice(11), desc: true });
        continue;
      }
      if (token.startsWith('ORDERBY')) {
        parsed.orderBy.push({ field: token.slice(7), desc: false });
        continue;
      }
      const isOr = token.startsWith('OR') && group.length > 0 && parseCondition(token.slice(2)) !== null;
      const cond = parseCondition(isOr ? token.slice(2) : token);
      if (!cond || !knownFields.has(cond.field)) continue;
      if (isOr) group[group.length - 1]?.push(cond);
      else group.push([cond]);
    }
    parsed.groups.push(group);
  }
  return parsed;
}

function parseCondition(token: string): Condition | null {
  const m = /^([a-z0-9_.]+)/.exec(token);
  if (!m?.[1]) return null;
  const field = m[1];
  const rest = token.slice(field.length);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) return null;
  return { field, op, value: rest.slice(op.length) };
}

/** True when `row` matches the query (an empty query matches everything). */
export function matches(row: Row, q: ParsedQuery): boolean {
  if (q.groups.length === 0) return true;
  return q.groups.some((group) => group.every((ors) => ors.some((c) => test(row[c.field] ?? '', c))));
}

function test(actual: string, c: Condition): boolean {
  const v = c.value;
  switch (c.op) {
    case '=':
      return actual === v;
    case '!=':
      return actual !== v;
    case 'LIKE':
      return actual.toLowerCase().includes(v.toLowerCase());
    case 'NOT LIKE':
      return !actual.toLowerCase().includes(v.toLowerCase());
    case 'STARTSWITH':
      return actual.toLowerCase().startsWith(v.toLowerCase());
    case 'ENDSWITH':
      return actual.toLowerCase().endsWith(v.toLowerCase());
    case 'IN':
      return v.split(',').includes(actual);
    case 'NOT IN':
      return !v.split(',').includes(actual);
    case 'ISEMPTY':
      return actual === '';
    case 'ISNOTEMPTY':
      return actual !== '';
    default:
      return compare(actual, v, c.op);
  }
}

/**
 * Integer and decimal columns (state, sys_mod_count) hold short numbers; a 32-hex sys_id made only of
 * digits (or `1e…`) is still a string, so keyset paging by sys_id orders it lexically.
 */
const isNumber = (v: string): boolean => v.length <= 15 && /^-?\d+(\.\d+)?$/.test(v);

/** Numbers compare numerically; everything else (incl. `YYYY-MM-DD HH:mm:ss` dates) lexically. */
function compare(a: string, b: string, op: '>' | '<' | '>=' | '<='): boolean {
  const numeric = isNumber(a) && isNumber(b);
  const d = numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0;
  return op === '>' ? d > 0 : op === '<' ? d < 0 : op === '>=' ? d >= 0 : d <= 0;
}

/** Sorts by the query's ORDERBY clauses (ServiceNow's default order is unspecified; we keep insertion). */
export function sortRows(rows: Row[], q: ParsedQuery): Row[] {
  if (q.orderBy.length === 0) return rows;
  return [...rows].sort((x, y) => {
    for (const { field, desc } of q.orderBy) {
      const a = x[field] ?? '';
      const b = y[field] ?? '';
      if (a === b) continue;
      const numeric = isNumber(a) && isNumber(b);
      const d = numeric ? Number(a) - Number(b) : a < b ? -1 : 1;
      return desc ? -d : d;
    }
    return 0;
  });
}
