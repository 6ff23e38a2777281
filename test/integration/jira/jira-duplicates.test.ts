import { reconcileDuplicateTickets } from '../../../src/app/reconcile-duplicate-tickets';
import type { NewAuditEntry } from '../../../src/ports/audit-log';
import type { IncidentRecord } from '../../../src/ports/incidents';
import { createJiraTicketSystem } from '../../../integrations/jira/jira-ticket-system';
import { systemClock } from '../../../integrations/clock/system-clock';
import { silentLogger } from '../../helpers/test-app';
import { draft, jiraDriver, startJira } from './harness';

/**
 * A crash between Jira's create and our commit, while Jira's search still lags: the restarted process
 * (a fresh adapter, which does not know the first issue's id) cannot find the first issue and creates a
 * second. The store keeps the second; the reconciler, once the index caught up, closes the first.
 */
describe('Jira duplicate reconciler', () => {
  it('closes the twin created inside the crash window as a duplicate of the stored issue and links it', async () => {
    const { emulator, server, adapter, config } = await startJira({ emulator: { searchLagMs: 300 } });
    try {
      const d = draft();
      const lost = await adapter.create(d); // its answer never reached our commit
      const restarted = createJiraTicketSystem({
        config,
        baseUrl: server.url,
        transport: jiraDriver(config),
      });
      expect(await restarted.findByIncidentKey(d.incidentKey, d.provider)).toBeNull(); // index lags
      const kept = await restarted.create(d);
      expect(emulator.state.issues).toHaveLength(2);

      const incident = {
        id: 7,
        key: d.incidentKey,
        provider: d.provider,
        openedAt: systemClock.now().toISOString(),
        tickets: { jira: { key: kept.key, url: kept.url, id: kept.id } },
      } as Pick<IncidentRecord, 'id' | 'key' | 'provider' | 'openedAt' | 'tickets'>;
      const audited: NewAuditEntry[] = [];
      const deps = {
        audit: async (e: NewAuditEntry) => void audited.push(e),
        incidents: { list: async () => [incident as IncidentRecord] },
        system: restarted,
        clock: systemClock,
        logger: silentLogger,
        lookbackSeconds: 3600,
      };
      // Still inside the lag: nothing to see yet, nothing touched.
      expect((await reconcileDuplicateTickets(deps)).closed).toEqual([]);
      await new Promise((r) => setTimeout(r, 350));
      const first = await reconcileDuplicateTickets(deps);
      expect(first.closed).toEqual([{ incidentKey: d.incidentKey, duplicate: lost.key, kept: kept.key }]);
      expect(audited).toEqual([
        {
          at: expect.any(String),
          actor: 'job:duplicate-check',
          action: 'ticket.duplicate_closed',
          subject: 'incident:7',
          data: { system: 'jira', duplicate: lost.key, kept: kept.key },
        },
      ]);

      const twin = emulator.state.issues.find((i) => i.key === lost.key)!;
      const ours = emulator.state.issues.find((i) => i.key === kept.key)!;
      const done = emulator.state.statuses.find((s) => s.id === twin.statusId)?.category;
      expect(done).toBe('done');
      expect(twin.remoteLinks.map((l) => l.globalId)).toEqual([`duplicate-of=${kept.key}`]);
      expect(twin.labels).toEqual(['itsm-bridge-duplicate']);
      expect(JSON.stringify(twin.comments)).toContain(`Duplicate of ${kept.key}`);
      expect(emulator.state.statuses.find((s) => s.id === ours.statusId)?.category).not.toBe('done');
      // The store's issue is still the one found by key, and a second pass changes nothing.
      expect((await restarted.findByIncidentKey(d.incidentKey, d.provider))?.key).toBe(kept.key);
      const writes = emulator.state.issues.map((i) => i.updated);
      expect((await reconcileDuplicateTickets(deps)).closed).toEqual([]);
      expect(emulator.state.issues.map((i) => i.updated)).toEqual(writes);
    } finally {
      await server.close();
    }
  });
});
