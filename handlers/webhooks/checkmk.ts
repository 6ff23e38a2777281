import { z } from 'zod';
import type { Alert, AlertEvent } from '../../src/core/alert/alert';
import { clip, severityFromState } from './map-common';

/**
 * Checkmk cuts environment values at 65,536 characters and appends "...\nAttention: Removed remaining
 * content because it was too long." (cmk/base/notify.py, notification_script_env), so a value a little
 * over the limit is normal: clip it rather than lose the notification with a 400.
 */
export const CHECKMK_VALUE_MAX = 65536;
const Value = z.string().transform((v) => clip(v, CHECKMK_VALUE_MAX) ?? v);

/** One Checkmk notification context: the NOTIFY_* variables without the prefix, all strings. */
export const CheckmkContext = z
  .object({
    WHAT: z.enum(['HOST', 'SERVICE']),
    NOTIFICATIONTYPE: z.string().min(1),
    HOSTNAME: z.string().min(1).max(255),
    OMD_SITE: z.string().min(1).max(128),
    HOSTSTATE: z.string().optional(),
    SERVICEDESC: z.string().max(255).optional(),
    SERVICESTATE: z.string().optional(),
    HOSTPROBLEMID: z.string().optional(),
    SERVICEPROBLEMID: z.string().optional(),
  })
  .catchall(Value)
  .refine((c) => Object.keys(c).length <= 1000, 'at most 1000 variables');
export type CheckmkContext = z.infer<typeof CheckmkContext>;

/** Our Checkmk script sends `{context}` or, in bulk mode, `{contexts: [...]}`. */
export const CheckmkPayload = z.union([
  z.strictObject({ context: CheckmkContext }),
  z.strictObject({ contexts: z.array(CheckmkContext).min(1).max(1000) }),
]);
export type CheckmkPayload = z.infer<typeof CheckmkPayload>;

/**
 * The Nagios core (Checkmk Raw) resets the current problem id to 0 on recovery and keeps the old one in
 * LAST*PROBLEMID; the microcore keeps it. "0" or empty is therefore no id, and the last one stands in,
 * as Checkmk's own Opsgenie plugin keys close requests.
 */
function problemIdOf(c: CheckmkContext, isService: boolean): string | null {
  const [current, last] = isService
    ? [c.SERVICEPROBLEMID, c.LASTSERVICEPROBLEMID]
    : [c.HOSTPROBLEMID, c.LASTHOSTPROBLEMID];
  const id = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.trim() !== '0' ? v.trim() : null);
  return id(current) ?? id(last);
}

const EVENTS: Record<string, AlertEvent> = {
  ACKNOWLEDGEMENT: 'acknowledged',
  CUSTOM: 'custom',
  FLAPPINGSTART: 'flapping-start',
  FLAPPINGSTOP: 'flapping-end',
  FLAPPINGDISABLED: 'flapping-end',
  DOWNTIMESTART: 'downtime-start',
  DOWNTIMEEND: 'downtime-end',
  DOWNTIMECANCELLED: 'downtime-end',
};

/** Host and service labels arrive as NOTIFY_HOSTLABEL_<name> / NOTIFY_SERVICELABEL_<name>. */
function labelsOf(c: CheckmkContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) {
    const m = /^(?:HOST|SERVICE)LABEL_(.+)$/.exec(k);
    if (m && typeof v === 'string') out[m[1]!] = v;
  }
  return out;
}

function contextToAlert(c: CheckmkContext, receivedAt: string): Alert {
  const isService = c.WHAT === 'SERVICE';
  const state = (isService ? c.SERVICESTATE : c.HOSTSTATE) ?? 'UNKNOWN';
  const ok = state === 'OK' || state === 'UP';
  const type = c.NOTIFICATIONTYPE;
  const event = EVENTS[type] ?? null;
  const status = type === 'RECOVERY' || (!type.startsWith('PROBLEM') && ok) ? 'resolved' : 'firing';
  // The problem id links PROBLEM and RECOVERY (Checkmk's own ServiceNow/Jira plugins key on it).
  const problemId = problemIdOf(c, isService) ?? `${c.HOSTNAME}${isService ? `!${c.SERVICEDESC}` : ''}`;
  const output = String((isService ? c.SERVICEOUTPUT : c.HOSTOUTPUT) ?? '');
  const longOutput = String((isService ? c.LONGSERVICEOUTPUT : c.LONGHOSTOUTPUT) ?? '').replace(/\\n/g, '\n');
  const labels: Record<string, string> = {
    ...labelsOf(c),
    alertname: isService ? (c.SERVICEDESC ?? 'service') : 'host-check',
    host: c.HOSTNAME,
    checkmk_site: c.OMD_SITE,
    checkmk_state: state,
  };
  if (isService && c.SERVICEDESC) labels.service = c.SERVICEDESC;
  const author = String(c.NOTIFICATIONAUTHOR ?? c.SERVICEACKAUTHOR ?? c.HOSTACKAUTHOR ?? '');
  if (author) labels.author = author;
  const comment = String(c.NOTIFICATIONCOMMENT ?? c.SERVICEACKCOMMENT ?? c.HOSTACKCOMMENT ?? '');
  const since = Number(isService ? c.LASTSERVICESTATECHANGE : c.LASTHOSTSTATECHANGE);
  const url = String((isService ? c.SERVICEURL : c.HOSTURL) ?? '');
  return {
    source: 'checkmk',
    dedupKey: `checkmk:${c.OMD_SITE}:${problemId}`,
    status,
    event,
    severity: ok ? 'info' : severityFromState(state),
    host: c.HOSTNAME,
    service: isService ? (c.SERVICEDESC ?? null) : null,
    branch: clip(labels.branch ?? null, 100),
    summary:
      clip(
        `${c.HOSTNAME}${isService ? `/${c.SERVICEDESC}` : ''} ${state}: ${output.split('\n')[0]}`.trim(),
        1000,
      ) ?? c.HOSTNAME,
    description: clip([output, longOutput].filter(Boolean).join('\n'), 32000),
    labels,
    annotations: { notification_type: type, ...(comment ? { comment } : {}) },
    links: url ? { source: url } : {},
    startsAt: Number.isFinite(since) && since > 0 ? new Date(since * 1000).toISOString() : null,
    endsAt: null,
    receivedAt,
  };
}

export function checkmkAlerts(p: CheckmkPayload, o: { receivedAt: string }): Alert[] {
  const contexts = 'context' in p ? [p.context] : p.contexts;
  return contexts.map((c) => contextToAlert(c, o.receivedAt));
}
