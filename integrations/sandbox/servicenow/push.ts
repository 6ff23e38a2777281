import { createHmac } from 'node:crypto';
import { SERVICENOW_SYNCED_COLUMNS } from '../../../src/ports/servicenow-sync';
import type { Row } from './encoded-query';
import { tableRows, type ServiceNowState } from './state';

/** Where the emulator pushes incident changes, as `integrations/servicenow/business-rule.js` does. */
export interface PushTarget {
  /** The bridge's `POST /webhooks/servicenow` URL. */
  url: string;
  /** Shared secret of the HMAC-SHA256 signature (`X-ServiceNow-Signature: sha256=<base64>`). */
  secret: string;
}

/** The body the business rule posts: the incident's synced columns now, and the journal entries added. */
export function pushBody(state: ServiceNowState, incident: Row, journal: readonly Row[]): string {
  const fields: Record<string, string> = {};
  for (const column of SERVICENOW_SYNCED_COLUMNS) fields[column] = incident[column] ?? '';
  // The business rule sends the references' display values, as the poller resolves them.
  fields.assignment_group = displayName(state, 'sys_user_group', incident.assignment_group ?? '');
  fields.assigned_to = displayName(state, 'sys_user', incident.assigned_to ?? '');
  return JSON.stringify({
    table: 'incident',
    sys_id: incident.sys_id,
    number: incident.number,
    sys_mod_count: incident.sys_mod_count,
    sys_updated_on: incident.sys_updated_on,
    sys_updated_by: incident.sys_updated_by,
    fields,
    journal: journal.map((j) => ({
      sys_id: j.sys_id,
      element: j.element,
      value: j.value,
      sys_created_on: j.sys_created_on,
      sys_created_by: j.sys_created_by,
    })),
  });
}

/** `sha256=<base64 HMAC-SHA256 of the body>`, what GlideCertificateEncryption.generateMac gives. */
export const pushSignature = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('base64')}`;

function displayName(state: ServiceNowState, table: string, sysId: string): string {
  if (!sysId) return '';
  const row = tableRows(state, table)?.find((r) => r.sys_id === sysId);
  return row?.name ?? sysId;
}

/**
 * Posts one change like the async business rule: shortly after the write, outside the request that
 * made it; one retry after a failure, then the poll is the safety net. Only incidents the bridge
 * created (`correlation_display=itsm-bridge`) are pushed, as the rule's condition says.
 */
export function pushChange(
  target: PushTarget,
  state: ServiceNowState,
  incident: Row,
  journal: readonly Row[],
  onSettled?: (ok: boolean) => void,
): boolean {
  if (incident.correlation_display !== 'itsm-bridge') return false;
  const body = pushBody(state, incident, journal);
  const send = () =>
    fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-servicenow-signature': pushSignature(target.secret, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    }).then((res) => {
      void res.body?.cancel();
      return res.ok;
    });
  const attempt = (left: number) =>
    send()
      .catch(() => false)
      .then((ok) => {
        if (ok || left === 0) return onSettled?.(ok);
        setTimeout(() => attempt(left - 1), 1000).unref();
      });
  setTimeout(() => attempt(1), 0).unref();
  return true;
}
