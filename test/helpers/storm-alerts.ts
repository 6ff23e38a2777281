import type { TicketAlertLine } from '../../src/ports/ticket-system';

/** `n` alert lines as a storm of branch checks brings them: long host names and summaries. */
export const stormAlerts = (n: number): TicketAlertLine[] =>
  Array.from({ length: n }, (_, i) => ({
    host: `branch-muc-${String(i).padStart(3, '0')}.corp.example.com`,
    service: `dms-service-${i}`,
    severity: 'critical',
    status: 'firing',
    summary: `HTTP check https://dms.example.com/health failed: connection timed out after 10 s on node ${i}`,
    startsAt: '2026-03-04T08:15:00.000Z',
  }));
