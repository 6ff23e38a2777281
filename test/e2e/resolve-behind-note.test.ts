import { genericAlert as generic } from '../helpers/generic-alert';
import { ManualClock, startTestApp } from '../helpers/test-app';

// The resolve grace is shorter than the note interval, as in a Prometheus → Alertmanager chain with a
// short grace: the recovery's coalesced note is still waiting when the grace ends.
const YAML = `
correlation: { groupWait: 0, resolveGrace: 30s, reopenWindow: 2h }
tickets: { noteInterval: 60s }
slack: { enabled: false }
teams: { enabled: false }
`;

describe('a resolve does not wait behind a coalesced note', () => {
  it('resolves both tickets right after the grace, with the waiting note folded into the resolve', async () => {
    const clock = new ManualClock();
    const app = await startTestApp({ yaml: YAML, clock });
    try {
      await app.post('generic', generic('if-9', 'firing'));
      await app.flush();
      const [inc] = (await app.api('/api/incidents')).incidents;
      const sn = app.sandboxes.servicenow!.state;
      expect(sn.incidents).toHaveLength(1);

      await app.post('generic', generic('if-9', 'resolved'));
      await app.flush();
      const waiting = (await app.api(`/api/incidents/${inc.id}`)).outbox;
      expect(waiting).toEqual([
        expect.objectContaining({ system: 'servicenow', kind: 'note', state: 'pending' }),
        expect.objectContaining({ system: 'jira', kind: 'note', state: 'pending' }),
      ]);

      clock.advance(31); // grace over, the note's 60 s not yet
      await app.flush();
      const detail = await app.api(`/api/incidents/${inc.id}`);
      expect(detail.state).toBe('resolved');
      expect(detail.outbox).toEqual([]);
      expect(sn.incidents[0]).toMatchObject({ state: '6' });
      expect(String(sn.incidents[0]!.close_notes)).toContain(
        'all recovered (resolving after the grace period)',
      );
      const jira = app.sandboxes.jira!.state;
      expect(jira.statuses.find((s) => s.id === jira.issues[0]!.statusId)?.category).toBe('done');
      // One remote call instead of a note and a resolve.
      const types = detail.timeline.map((t: { type: string }) => t.type);
      expect(types.filter((t: string) => t === 'ticket_note')).toHaveLength(0);
      expect(types.filter((t: string) => t === 'ticket_resolve')).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
