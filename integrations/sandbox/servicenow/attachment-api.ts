import { createHash } from 'node:crypto';
import { matches, parseEncodedQuery, sortRows } from './encoded-query';
import type { EmuRequest, EmuResponse } from '../http-util';
import { snError } from './render';
import { COLUMNS, glideDateTime, sysId, tableRows, type ServiceNowState } from './state';

/**
 * Attachment API: `POST /api/now/attachment/file` (raw body), `GET /api/now/attachment` (metadata list,
 * `sysparm_limit`/`sysparm_offset`), `GET /api/now/attachment/{sys_id}` (metadata) and
 * `GET /api/now/attachment/{sys_id}/file` (the bytes). Metadata carries ServiceNow's `hash` (hex SHA-256
 * of the content, as newer releases store it) and `sys_created_by`.
 */
export function handleAttachment(
  req: EmuRequest,
  state: ServiceNowState,
  now: number,
  user: string,
): EmuResponse {
  if (req.method === 'GET' && req.path === '/api/now/attachment') {
    const q = parseEncodedQuery(req.query.get('sysparm_query') ?? '', new Set(COLUMNS.sys_attachment));
    const offset = Number(req.query.get('sysparm_offset') ?? 0) || 0;
    const limit = Number(req.query.get('sysparm_limit') ?? 1000) || 1000;
    const rows = sortRows(
      state.attachments.filter((a) => matches(a, q)),
      q,
    ).slice(offset, offset + limit);
    return { status: 200, body: { result: rows } };
  }
  const one = /^\/api\/now\/attachment\/([0-9a-f]{32})(\/file)?$/.exec(req.path);
  if (req.method === 'GET' && one) {
    const meta = state.attachments.find((a) => a.sys_id === one[1]);
    const body = meta && state.attachmentBodies.get(meta.sys_id);
    if (!meta || !body) return snError(404, "Record doesn't exist", `Attachment ${one[1]} not found`);
    if (!one[2]) return { status: 200, body: { result: meta } };
    return {
      status: 200,
      headers: {
        'Content-Type': meta.content_type ?? 'application/octet-stream',
        'Content-Length': String(body.length),
        'X-Attachment-Metadata': JSON.stringify(meta),
      },
      raw: body,
    };
  }
  if (req.method === 'POST' && req.path === '/api/now/attachment/file') {
    const table = req.query.get('table_name');
    const recordId = req.query.get('table_sys_id');
    const fileName = req.query.get('file_name');
    const contentType = req.headers['content-type'];
    if (!table || !recordId || !fileName)
      return snError(400, 'Missing parameters', 'table_name, table_sys_id and file_name are required');
    if (!contentType) return snError(400, 'Missing Content-Type', 'Content-Type header is mandatory');
    if (!tableRows(state, table)?.some((r) => r.sys_id === recordId))
      return snError(404, 'Invalid table or record', `Record ${recordId} not found in ${table}`);
    const id = sysId();
    const meta = {
      sys_id: id,
      file_name: fileName,
      content_type: contentType,
      size_bytes: String(req.body.length),
      table_name: table,
      table_sys_id: recordId,
      hash: createHash('sha256').update(req.body).digest('hex'),
      download_link: `${req.baseUrl}/api/now/attachment/${id}/file`,
      sys_created_by: user,
      sys_created_on: glideDateTime(now),
    };
    state.attachments.push(meta);
    state.attachmentBodies.set(id, req.body);
    return {
      status: 201,
      headers: { Location: `${req.baseUrl}/api/now/attachment/${id}` },
      body: { result: meta },
    };
  }
  return snError(400, 'Requested URI does not represent any resource', null);
}
