import { HANDOFF_NOTE, HANDOFF_YAML } from '../helpers/handoff-fixture';
import { API_TOKEN, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const YAML = HANDOFF_YAML;
const note = HANDOFF_NOTE;

describe('the acceptance deadline of a hand-off (stored timer, injected clock)', () => {
  const clock = new ManualClock();
  let app: TestApp;
  afterEach(() => app?.close());

  const post = (path: string, body?: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const types = async (id: number) =>
    ((await app.api(`/api/incidents/${id}`)).timeline as { type: string }[])
      .map((e) => e.type)
      .filter((t) => t.startsWith('handoff_'));

  it('reminds at half the deadline, escalates at the deadline, once each across a restart', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', {
      dedupKey: 'k',
      status: 'firing',
      severity: 'critical',
      summary: 's',
      branch: 'b1',
    });
    await app.settle();
    const [inc] = (await app.api('/api/incidents')).incidents;
    const offered = (await (await post(`/api/incidents/${inc.id}/handoffs`, { to: 'app', note })).json()) as {
      id: number;
    };

    clock.advance(149);
    await app.settle();
    expect(await types(inc.id)).toEqual(['handoff_offered']);
    clock.advance(1);
    await app.settle();
    await app.settle();
    expect(await types(inc.id)).toEqual(['handoff_offered', 'handoff_reminded']);

    // Restart between the reminder and the expiry: nothing is lost, nothing repeated.
    await app.stop();
    app = await startTestApp({ yaml: YAML, clock, database: app.database });
    clock.advance(150);
    await app.settle();
    await app.settle();
    expect(await types(inc.id)).toEqual([
      'handoff_offered',
      'handoff_reminded',
      'handoff_expired',
      'handoff_escalated',
    ]);
    const [open] = (await app.api('/api/handoffs?state=open')).handoffs;
    expect(open).toMatchObject({ id: offered.id, state: 'escalated' });

    // Still open: the receiving provider can take it.
    expect((await post(`/api/handoffs/${offered.id}/accept`)).status).toBe(200);
    clock.advance(3600);
    await app.settle();
    expect((await types(inc.id)).at(-1)).toBe('handoff_accepted');
  });
});
