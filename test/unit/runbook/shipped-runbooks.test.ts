import { join } from 'node:path';
import { loadRunbooks, type LoadRunbooksResult } from '../../../integrations/runbooks/load-runbooks';
import { matchRunbook, type RunbookFacts } from '../../../src/core/runbook/match-runbook';
import { buildChecklist, renderChecklist } from '../../../src/core/runbook/render-checklist';

/** Realistic alerts as the webhook handlers would normalise them, one per required runbook. */
const alerts: { want: string; facts: RunbookFacts & { branch: string | null } }[] = [
  {
    want: 'dms-branch-down',
    facts: {
      source: 'alertmanager',
      labels: { alertname: 'DmsBranchDown', branch: 'fil07', severity: 'critical' },
      host: 'dms-gw-fil07.dms.example',
      service: null,
      branch: 'fil07',
    },
  },
  {
    want: 'print-queue-stuck',
    facts: {
      source: 'alertmanager',
      labels: { alertname: 'PrintQueueStuck', queue: 'fil12-inv-01', instance: 'print03:9100' },
      host: 'print03',
      service: null,
      branch: 'fil12',
    },
  },
  {
    want: 'archive-backlog',
    facts: { source: 'icinga', labels: {}, host: 'archive01', service: 'Archive import queue', branch: null },
  },
  {
    want: 'interface-transfer-failed',
    facts: {
      source: 'generic',
      labels: { alertname: 'InterfaceTransferFailed', interface: 'oem-orders-out', script: 'send_orders.sh' },
      host: 'iface02',
      service: null,
      branch: null,
    },
  },
  {
    want: 'disk-full',
    facts: {
      source: 'alertmanager',
      labels: { alertname: 'NodeFilesystemAlmostOutOfSpace', mountpoint: '/var', device: '/dev/sda3' },
      host: 'dms-app01',
      service: null,
      branch: null,
    },
  },
  {
    want: 'windows-service-stopped',
    facts: { source: 'checkmk', labels: {}, host: 'ts-fil03', service: 'Service Spooler', branch: 'fil03' },
  },
  {
    want: 'certificate-expiring',
    facts: {
      source: 'alertmanager',
      labels: { alertname: 'SSLCertExpiringSoon', instance: 'sftp.dms.example:443', port: '443' },
      host: 'sftp.dms.example',
      service: null,
      branch: null,
    },
  },
  {
    want: 'db-replication-lag',
    facts: {
      source: 'alertmanager',
      labels: { alertname: 'PostgresqlReplicationLag', instance: 'dms-db02:9187' },
      host: 'dms-db02',
      service: null,
      branch: null,
    },
  },
];

describe('shipped runbooks/', () => {
  let loaded: LoadRunbooksResult;
  beforeAll(async () => {
    loaded = await loadRunbooks(join(__dirname, '../../../runbooks'));
  });

  it('load without a single error', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.runbooks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(alerts)('$want exists and matches a realistic alert', ({ want, facts }) => {
    expect(loaded.runbooks.map((r) => r.id)).toContain(want);
    expect(matchRunbook(facts, loaded.runbooks)?.runbook.id).toBe(want);
  });

  it('a Windows spooler alert from windows_exporter goes to the Windows runbook, not the print queue one', () => {
    const facts: RunbookFacts = {
      source: 'alertmanager',
      labels: { alertname: 'WindowsServiceDown', name: 'Spooler' },
      host: 'prt-win01',
      service: 'Print Spooler',
    };
    expect(matchRunbook(facts, loaded.runbooks)?.runbook.id).toBe('windows-service-stopped');
  });

  it('every runbook has a body, a provider, an escalation path and steps with a command', () => {
    for (const runbook of loaded.runbooks) {
      expect({ id: runbook.id, body: runbook.body.length > 200 }).toEqual({ id: runbook.id, body: true });
      expect(runbook.provider).toBeDefined();
      expect(runbook.escalation?.length).toBeGreaterThan(0);
      expect(runbook.steps.some((step) => step.includes('`'))).toBe(true);
    }
  });

  it('renders the print runbook with the alert values filled in', () => {
    const { facts } = alerts[1]!;
    const runbook = matchRunbook(facts, loaded.runbooks)!.runbook;
    const text = renderChecklist(buildChecklist(runbook, { facts }));
    expect(text).toContain('lpstat -p fil12-inv-01 -l');
    expect(text).toContain('[ ] 1. On the spooler host print03');
    expect(text).not.toMatch(/\{\{/);
  });
});
