import type { ChatIncident, RunbookStepView } from '../../../src/ports/chat';

/** A realistic incident card input; override what a test is about. */
export function incident(over: Partial<ChatIncident> = {}): ChatIncident {
  return {
    id: 42,
    key: 'alertmanager:branch=berlin:service=dms',
    title: 'DMS application down at branch Berlin',
    state: 'open',
    acknowledged: null,
    resolution: null,
    priority: 2,
    impact: 1,
    urgency: 2,
    severity: 'critical',
    branch: 'berlin',
    host: 'dms-app-01',
    service: 'dms',
    provider: 'dms-app',
    providerName: 'DMS Application Team',
    alertCount: 3,
    firingCount: 2,
    flapping: false,
    openedAt: '2026-03-02T08:15:00.000Z',
    resolvedAt: null,
    links: {
      servicenow: { key: 'INC0010001', url: 'https://sn.example.com/incident.do?sys_id=abc' },
      jira: { key: 'OPS-7', url: 'https://jira.example.com/browse/OPS-7' },
      monitoring: [{ label: 'Grafana', url: 'https://grafana.example.com/d/dms?var-branch=berlin' }],
      bridge: 'http://127.0.0.1:3000/api/incidents/42',
    },
    runbook: {
      id: 'dms-app-down',
      title: 'DMS application down',
      steps: steps(['Check the app pool', 'Restart the DMS service', 'Verify the login page']),
    },
    ...over,
  };
}

export function steps(
  texts: string[],
  done: Record<number, { by: string; at: string }> = {},
): RunbookStepView[] {
  return texts.map((text, index) => ({ index, text, done: done[index] ?? null }));
}
