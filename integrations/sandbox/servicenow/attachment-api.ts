import { matches, parseEncodedQuery } from './encoded-query';
import type { EmuRequest, EmuResponse } from '../http-util';
import { snError } from './render';
import { COLUMNS, glideDateTime, sysId, tableRows, type ServiceNowState } from './state';

/** Attachment API: `POST /api/now/attachment/file` (raw body) and `GET /api/now/attachment` (metadata). */
export function handleAttachment(req: EmuRequest, state: ServiceNowState, now: number): EmuResponse {
  if (req.method === 'GET' && req.path === '/api/now/attachment') {
    const q = parseEncodedQuery(req.query.get('sysparm_query') ?? '', new Set(COLUMNS.sys_attachment));
    return { status: 200, body: { result: state.attachments.filter((a) => matches(a, q)) } };
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
      download_link: `${req.baseUrl}/api/now/attachment/${id}/file`,
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
