import type { ChatIncident } from '../../../src/ports/chat';

/** A P2 incident as the use-cases hand it to presenters; override what a test is about. */
export function chatIncident(over: Partial<ChatIncident> = {}): ChatIncident {
  return {
    id: 42,
    key: 'a1b2c3d4',
    title: 'Branch Köln offline',
    state: 'open',
    acknowledged: null,
    resolution: null,
    priority: 2,
    impact: 2,
    urgency: 1,
    severity: 'critical',
    branch: 'K01',
    host: 'rtr-k01',
    service: 'vpn',
    provider: 'netops',
    providerName: 'Network Operations',
    alertCount: 3,
    firingCount: 2,
    flapping: false,
    openedAt: '2025-03-04T08:15:30.000Z',
    resolvedAt: null,
    links: {
      servicenow: { key: 'INC0010001', url: 'https://sn.example.com/nav_to.do?uri=incident.do?sys_id=1' },
      jira: { key: 'OPS-7', url: 'https://jira.example.com/browse/OPS-7' },
      monitoring: [{ label: 'Grafana', url: 'https://grafana.example.com/d/abc' }],
      bridge: 'https://bridge.example.com/api/incidents/42',
    },
    runbook: {
      id: 'branch-offline',
      title: 'Branch offline',
      steps: [
        { index: 0, text: 'Call the branch', done: { by: 'Ada', at: '2025-03-04T08:20:00.000Z' } },
        { index: 1, text: 'Check the VPN tunnel', done: null },
      ],
    },
    ...over,
  };
}
