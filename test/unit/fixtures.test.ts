import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

// Shape checks only; the server's real schemas live with the handlers.
const FIXTURES = path.resolve(__dirname, '../fixtures');
const Labels = z.record(z.string(), z.string());
const Rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const ZERO_TIME = '0001-01-01T00:00:00Z';

const AmAlert = z.strictObject({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels,
  startsAt: Rfc3339,
  endsAt: Rfc3339,
  generatorURL: z.string().url(),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
});
const AmMessage = z.strictObject({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  truncatedAlerts: z.number().int().min(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: Labels,
  commonLabels: Labels,
  commonAnnotations: Labels,
  externalURL: z.string().url(),
  notification_reason: z
    .enum([
      'first notification',
      'new alerts added',
      'some alerts resolved',
      'all alerts resolved',
      'repeat interval elapsed',
      'unknown',
    ])
    .optional(),
  alerts: z.array(AmAlert).min(1),
});
const GrafanaAlert = AmAlert.extend({
  silenceURL: z.string().url(),
  dashboardURL: z.string(),
  panelURL: z.string(),
  values: z.record(z.string(), z.number()),
  valueString: z.string(),
  orgId: z.number().int().optional(),
  ruleUID: z.string().optional(),
  imageURL: z.string().optional(),
});
const GrafanaMessage = AmMessage.omit({ version: true, notification_reason: true, alerts: true }).extend({
  version: z.literal('1'),
  orgId: z.number().int(),
  title: z.string(),
  state: z.enum(['alerting', 'ok']),
  message: z.string(),
  alerts: z.array(GrafanaAlert).min(1),
});
const IcingaNotification = z.strictObject({
  notificationType: z.enum([
    'PROBLEM',
    'RECOVERY',
    'ACKNOWLEDGEMENT',
    'CUSTOM',
    'FLAPPINGSTART',
    'FLAPPINGEND',
    'DOWNTIMESTART',
    'DOWNTIMEEND',
    'DOWNTIMECANCELLED',
  ]),
  host: z.string().min(1),
  hostDisplayName: z.string().optional(),
  hostState: z.enum(['UP', 'DOWN', 'UNREACHABLE']),
  hostAddress: z.string().optional(),
  service: z.string().min(1).optional(),
  serviceDisplayName: z.string().optional(),
  serviceState: z.enum(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']).optional(),
  output: z.string(),
  longOutput: z.string().optional(),
  author: z.string().optional(),
  comment: z.string().optional(),
  timestamp: z.number().int().positive(),
  lastStateChange: z.number().int().positive().optional(),
  vars: Labels.optional(),
  url: z.string().url().optional(),
});
const CheckmkContext = z.record(z.string(), z.string()).superRefine((ctx, issue) => {
  for (const key of ['WHAT', 'NOTIFICATIONTYPE', 'HOSTNAME', 'OMD_SITE', 'HOSTSTATE']) {
    if (!ctx[key]) issue.addIssue({ code: 'custom', message: `missing ${key}` });
  }
  for (const key of Object.keys(ctx)) {
    if (/^PARAMETER/.test(key) || /PASSWORD|SECRET/.test(key) || key.startsWith('NOTIFY_')) {
      issue.addIssue({ code: 'custom', message: `must not forward ${key}` });
    }
  }
  if (ctx.WHAT === 'SERVICE' && !(ctx.SERVICEDESC && ctx.SERVICEPROBLEMID && ctx.SERVICESTATE)) {
    issue.addIssue({
      code: 'custom',
      message: 'service context without SERVICEDESC/SERVICEPROBLEMID/SERVICESTATE',
    });
  }
});
const Checkmk = z.union([
  z.strictObject({ context: CheckmkContext }),
  z.strictObject({ contexts: z.array(CheckmkContext).min(2) }),
]);
const Generic = z.strictObject({
  dedupKey: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  severity: z.enum(['critical', 'major', 'minor', 'warning', 'info']),
  summary: z.string().min(1),
  host: z.string().optional(),
  service: z.string().optional(),
  branch: z.string().optional(),
  details: z.string().optional(),
  labels: Labels.optional(),
});

const schemas: Record<string, z.ZodType> = {
  alertmanager: AmMessage,
  grafana: GrafanaMessage,
  icinga: IcingaNotification,
  checkmk: Checkmk,
  generic: Generic,
};

const files = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    fs
      .readdirSync(path.join(FIXTURES, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => [d.name, f] as const),
  );
const load = <T = unknown>(source: string, file: string): T =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, source, file), 'utf8')) as T;
type Am = z.infer<typeof AmMessage>;

/** Prometheus model.LabelSet.Fingerprint: FNV-1a 64 over sorted "name 0xff value 0xff". */
function fingerprint(labels: Record<string, string>): string {
  let h = 14695981039346656037n;
  const add = (byte: number) => {
    h = ((h ^ BigInt(byte)) * 1099511628211n) & 0xffffffffffffffffn;
  };
  for (const key of Object.keys(labels).sort()) {
    for (const part of [key, labels[key] ?? '']) {
      for (const byte of Buffer.from(part)) add(byte);
      add(0xff);
    }
  }
  return h.toString(16).padStart(16, '0');
}

describe('payload fixtures', () => {
  it('cover every source and are documented in the README', () => {
    const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    expect(new Set(files.map(([s]) => s))).toEqual(new Set(Object.keys(schemas)));
    for (const [source, file] of files) expect(readme).toContain(`${source}/${file}`);
  });

  it.each(files)('%s/%s is valid JSON of its source shape', (source, file) => {
    const schema = schemas[source];
    expect(schema).toBeDefined();
    const result = schema!.safeParse(load(source, file));
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('Alertmanager firing group has 10 firing alerts with zero endsAt and label-derived fingerprints', () => {
    const firing = load<Am>('alertmanager', 'firing.json');
    expect(firing.alerts).toHaveLength(10);
    for (const a of firing.alerts) {
      expect(a.status).toBe('firing');
      expect(a.endsAt).toBe(ZERO_TIME);
      expect(Object.keys(a.labels)).toEqual(
        expect.arrayContaining(['alertname', 'instance', 'job', 'severity', 'branch']),
      );
      expect(a.fingerprint).toBe(fingerprint(a.labels));
    }
    expect(new Set(firing.alerts.map((a) => a.fingerprint)).size).toBe(10);
  });

  it('Alertmanager resolved and mixed payloads belong to the same group as firing', () => {
    const [firing, resolved, mixed] = ['firing', 'resolved', 'mixed'].map((n) =>
      load<Am>('alertmanager', `${n}.json`),
    );
    const prints = (m?: Am) => m?.alerts.map((a) => a.fingerprint).sort();
    expect(resolved?.groupKey).toBe(firing?.groupKey);
    expect(prints(resolved)).toEqual(prints(firing));
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.alerts.every((a) => a.status === 'resolved' && a.endsAt !== ZERO_TIME)).toBe(true);
    expect(mixed?.status).toBe('firing');
    expect(new Set(mixed?.alerts.map((a) => a.status))).toEqual(new Set(['firing', 'resolved']));
    expect(load<Am>('alertmanager', 'truncated.json').truncatedAlerts).toBeGreaterThan(0);
    expect(load<Am>('alertmanager', 'notification-reason.json').notification_reason).toBeDefined();
  });

  it('Grafana firing is "alerting" and resolved is "ok", each value echoed in valueString', () => {
    const firing = load<z.infer<typeof GrafanaMessage>>('grafana', 'firing.json');
    const resolved = load<z.infer<typeof GrafanaMessage>>('grafana', 'resolved.json');
    expect([firing.state, resolved.state]).toEqual(['alerting', 'ok']);
    expect(resolved.groupKey).toBe(firing.groupKey);
    for (const a of [...firing.alerts, ...resolved.alerts]) {
      for (const refId of Object.keys(a.values)) expect(a.valueString).toContain(`var='${refId}'`);
      expect(a.valueString).toContain(`value=${a.values.A}`);
      expect(a.fingerprint).toBe(fingerprint(a.labels));
    }
  });

  it('Checkmk problem and recovery share the problem id, as the dedup key needs', () => {
    type One = { context: Record<string, string> };
    const problem = load<One>('checkmk', 'problem-service.json').context;
    const recovery = load<One>('checkmk', 'recovery-service.json').context;
    expect(problem.NOTIFICATIONTYPE).toBe('PROBLEM');
    expect(recovery.NOTIFICATIONTYPE).toBe('RECOVERY');
    expect(recovery.SERVICEPROBLEMID).toBe(problem.SERVICEPROBLEMID);
    expect(recovery.OMD_SITE).toBe(problem.OMD_SITE);
    expect(load<One>('checkmk', 'flappingstop.json').context.NOTIFICATIONTYPE).toBe('FLAPPINGSTOP');
  });

  it('Icinga host notifications carry no service fields, service ones carry all', () => {
    for (const [source, file] of files.filter(([s]) => s === 'icinga')) {
      const n = load<z.infer<typeof IcingaNotification>>(source, file);
      if (n.service) expect(n.serviceState).toBeDefined();
      else expect(n.serviceState ?? n.serviceDisplayName).toBeUndefined();
    }
    expect(load<{ service?: string }>('icinga', 'problem-host.json').service).toBeUndefined();
  });
});
