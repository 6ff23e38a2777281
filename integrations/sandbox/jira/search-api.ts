import { jiraError, renderIssue, type JiraContext } from './context';
import { isRecord, type EmuRequest, type EmuResponse } from '../http-util';
import { readJson } from './issues-api';
import { JqlError, matchesJql, parseJql, sortByJql } from './jql';
import type { EmuIssue } from './state';

interface SearchParams {
  jql: string;
  maxResults: number;
  fields: string[] | null;
  properties: string[];
  reconcile: string[];
  token: number;
}

/**
 * `GET|POST /rest/api/3/search/jql` (Cloud, nextPageToken paging) and `/rest/api/2/search` (Data Center,
 * startAt/total). New issues stay invisible for `searchLagMs` unless their id is in `reconcileIssues`.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/
 */
export function search(req: EmuRequest, ctx: JiraContext, style: 'token' | 'startAt'): EmuResponse {
  const p = readParams(req);
  let hits: EmuIssue[];
  try {
    const q = parseJql(p.jql);
    const now = ctx.now();
    const visible = ctx.state.issues.filter((i) => i.indexedAt <= now || p.reconcile.includes(i.id));
    hits = sortByJql(
      visible.filter((i) => matchesJql(ctx.state, i, q, ctx.now())),
      q,
    );
  } catch (err) {
    if (err instanceof JqlError) return jiraError(400, [err.message]);
    throw err;
  }
  const page = hits.slice(p.token, p.token + p.maxResults);
  const issues = page.map((i) => {
    const rendered = renderIssue(ctx, i, p.fields ?? [], p.properties);
    return p.fields
      ? rendered
      : {
          id: rendered.id,
          key: rendered.key,
          self: rendered.self,
          ...(rendered.properties ? { properties: rendered.properties } : {}),
        };
  });
  const isLast = p.token + page.length >= hits.length;
  if (style === 'startAt') {
    return { status: 200, body: { startAt: p.token, maxResults: p.maxResults, total: hits.length, issues } };
  }
  const next = isLast
    ? {}
    : { nextPageToken: Buffer.from(String(p.token + page.length)).toString('base64url') };
  return { status: 200, body: { issues, isLast, ...next } };
}

/** `POST /rest/api/3/search/approximate-count` → `{count}` (sees the same lagging index). */
export function approximateCount(req: EmuRequest, ctx: JiraContext): EmuResponse {
  const body = readJson(req);
  if (!isRecord(body) || typeof body.jql !== 'string') return jiraError(400, ['jql is required']);
  try {
    const q = parseJql(body.jql);
    const now = ctx.now();
    return {
      status: 200,
      body: {
        count: ctx.state.issues.filter((i) => i.indexedAt <= now && matchesJql(ctx.state, i, q, ctx.now()))
          .length,
      },
    };
  } catch (err) {
    if (err instanceof JqlError) return jiraError(400, [err.message]);
    throw err;
  }
}

function readParams(req: EmuRequest): SearchParams {
  const list = (v: unknown): string[] =>
    Array.isArray(v)
      ? v.map(String)
      : typeof v === 'string' || typeof v === 'number'
        ? String(v).split(',').filter(Boolean)
        : [];
  const src: Record<string, unknown> =
    req.method === 'POST'
      ? ((b) => (isRecord(b) ? b : {}))(readJson(req))
      : Object.fromEntries([...new Set(req.query.keys())].map((k) => [k, req.query.getAll(k).join(',')]));
  const token =
    typeof src.nextPageToken === 'string'
      ? Number(Buffer.from(src.nextPageToken, 'base64url').toString())
      : Number(src.startAt ?? 0);
  const fields = list(src.fields);
  return {
    jql: typeof src.jql === 'string' ? src.jql : '',
    maxResults: Math.min(5000, Number(src.maxResults ?? 50) || 50),
    fields: fields.length > 0 && !(fields.length === 1 && fields[0] === 'id') ? fields : null,
    properties: list(src.properties),
    reconcile: list(src.reconcileIssues),
    token: Number.isFinite(token) ? token : 0,
  };
}
