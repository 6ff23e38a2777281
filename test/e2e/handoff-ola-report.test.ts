import { pdfText } from '../helpers/pdf-text';
import { HANDOFF_NOTE, HANDOFF_YAML } from '../helpers/handoff-fixture';
import { API_TOKEN, ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const YAML = HANDOFF_YAML;
const note = HANDOFF_NOTE;

describe('ownership and hand-offs in the monthly report (real server, store source, injected clock)', () => {
  const clock = new ManualClock(Date.parse('2026-11-02T08:00:00Z'));
  let app: TestApp;
  afterAll(() => app?.close());

  const post = async (path: string, body?: unknown) => {
    const res = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { id: number };
  };
  const minutes = async (m: number) => {
    clock.advance(m * 60);
    await app.settle();
  };
  const text = async (path: string) => {
    const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('counts offers, decisions, time to accept against the deadline and ping-pong, traceable to the rows', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    for (const branch of ['b1', 'b2'])
      await app.post('generic', {
        dedupKey: branch,
        status: 'firing',
        severity: 'critical',
        summary: 's',
        branch,
      });
    await app.settle();
    const [second, first] = (await app.api('/api/incidents')).incidents as { id: number; key: string }[];

    // Incident 1 (P1, 5 min to accept): infra → app in 2 min, app → infra in 7 min (late), infra → app in 1 min.
    let h = await post(`/api/incidents/${first!.id}/handoffs`, { to: 'app', note });
    await minutes(2);
    await post(`/api/handoffs/${h.id}/accept`);
    h = await post(`/api/incidents/${first!.id}/handoffs`, { to: 'infra', note });
    await minutes(7);
    await post(`/api/handoffs/${h.id}/accept`);
    h = await post(`/api/incidents/${first!.id}/handoffs`, { to: 'app', note });
    await minutes(1);
    await post(`/api/handoffs/${h.id}/accept`);
    // Incident 2: app rejects, then infra offers again and cancels.
    h = await post(`/api/incidents/${second!.id}/handoffs`, { to: 'app', note });
    await minutes(1);
    await post(`/api/handoffs/${h.id}/reject`, { reason: 'not ours' });
    h = await post(`/api/incidents/${second!.id}/handoffs`, { to: 'app', note });
    await post(`/api/handoffs/${h.id}/cancel`);
    // Incident 1 recovers at 12:30 (resolved after the 5 min grace), past its 4 h resolution target.
    await minutes(259);
    await app.post('generic', {
      dedupKey: 'b1',
      status: 'resolved',
      severity: 'critical',
      summary: 's',
      branch: 'b1',
    });
    await app.settle();
    await minutes(5);
    await app.settle();

    const incident = await app.api(`/api/incidents/${first!.id}`);
    expect(incident.state).toBe('resolved');
    expect(incident.ownership.at(-1)).toEqual({
      provider: 'app',
      from: '2026-11-02T08:10:00.000Z',
      to: incident.resolvedAt,
    });
    expect(incident.owner).toBe('app');
    expect(incident.ownership.map((o: { provider: string }) => o.provider)).toEqual([
      'infra',
      'app',
      'infra',
      'app',
    ]);
    expect(incident.handoffs).toHaveLength(3);
    // The report names an incident by its ServiceNow number once it has one.
    const number: string = incident.tickets.servicenow?.number ?? incident.key;

    // The report names incidents by ServiceNow number: both must have theirs before it is read (CI once
    // read it while the second incident's create was still in flight).
    const numbered = async () =>
      (await app.api(`/api/incidents/${second!.id}`)).tickets.servicenow?.number !== undefined;
    for (let i = 0; i < 100 && !(await numbered()); i++) {
      await new Promise((r) => setTimeout(r, 50));
      await app.settle();
    }
    expect(await numbered()).toBe(true);
    const report = JSON.parse(await text('/reports/sla?month=2026-11&format=json'));
    // Clock time and breaches count for the owner at the time: incident 1 was infra's 08:00–08:02 and
    // 08:09–08:10 (3 min), app's otherwise; both its breaches (response at 08:15, resolution at 12:00)
    // fell in app's time; incident 2 (still open) stayed with infra, so its breaches are infra's.
    const resolution = report.records.find(
      (r: { number: string; kind: string }) => r.number === number && r.kind === 'resolution',
    );
    const held = (p: string) =>
      report.providers.find((r: { provider: string }) => r.provider === p)?.heldBusinessSeconds;
    expect(held('infra')).toBe(180);
    expect(held('app')).toBe(resolution.elapsedBusinessSeconds - 180);
    const secondNumber: string =
      (await app.api(`/api/incidents/${second!.id}`)).tickets.servicenow?.number ?? second!.key;
    expect(
      report.breaches
        .map((b: { number: string; kind: string; provider: string; breachedAt: string }) => [
          b.number,
          b.kind,
          b.provider,
          b.breachedAt,
        ])
        .sort(),
    ).toEqual(
      [
        [number, 'resolution', 'app', '2026-11-02T12:00:00.000Z'],
        [number, 'response', 'app', '2026-11-02T08:15:00.000Z'],
        [secondNumber, 'resolution', 'infra', '2026-11-02T12:00:00.000Z'],
        [secondNumber, 'response', 'infra', '2026-11-02T08:15:00.000Z'],
      ].sort(),
    );
    const row = (p: string) => report.ola.providers.find((r: { provider: string }) => r.provider === p);
    expect(row('app')).toMatchObject({
      offered: 1,
      received: 4,
      accepted: 2,
      rejected: 1,
      expired: 0,
      cancelled: 0,
      olaMet: 2,
      olaMeasured: 2,
      olaPercent: 100,
      pingPongIncidents: 1,
      timeToAccept: { count: 2, median: 90, p90: 120 },
    });
    expect(row('infra')).toMatchObject({
      offered: 4,
      cancelled: 1,
      received: 1,
      accepted: 1,
      expired: 1,
      olaMet: 0,
      olaMeasured: 1,
      olaPercent: 0,
      timeToAccept: { count: 1, median: 420 },
    });
    expect(report.ola.pingPong).toEqual([
      expect.objectContaining({ number, changes: 3, owners: ['infra', 'app', 'infra', 'app'] }),
    ]);

    // Each figure back to the raw rows: the hand-off CSV names the timeline rows of offer and decision.
    const timeline = incident.timeline as { id: number; type: string }[];
    const offers = timeline.filter((e) => e.type === 'handoff_offered').map((e) => `timeline ${e.id}`);
    const accepts = timeline.filter((e) => e.type === 'handoff_accepted').map((e) => `timeline ${e.id}`);
    const csv = (await text('/reports/sla?month=2026-11&format=handoffs-csv')).trim().split('\r\n');
    expect(csv[0]).toBe(
      'number,ticketId,handoffId,from,to,offeredAt,deadline,deadlineSeconds,state,decidedAt,expired,secondsToAccept,withinDeadline,refs,asOf,monthInProgress',
    );
    expect(csv).toHaveLength(6);
    expect(csv[2]).toContain(
      `,app,infra,2026-11-02T08:02:00.000Z,2026-11-02T08:07:00.000Z,300,accepted,2026-11-02T08:09:00.000Z,true,420,false,${offers[1]}; ${accepts[1]},`,
    );

    // sla explain for the ping-pong incident: its hand-offs and its part in the OLA figures.
    const explained = JSON.parse(await text(`/reports/sla/explain?ticket=${number}&month=2026-11`));
    expect(explained.figures.ola.handoffs.map((r: { refs: string }) => r.refs)).toEqual(
      offers.map((o, i) => `${o}; ${accepts[i]}`),
    );
    expect(explained.figures.ola.pingPong).toHaveLength(1);
    const md = await text('/reports/sla?month=2026-11&format=md');
    expect(md).toContain('## Hand-offs per provider (acceptance deadline as OLA)');
    expect(md).toMatch(
      /\| app \| 1 \| 0 \| 4 \| 2 \| 1 \| 0 \| 0 \| 1\.5 min \/ 2\.0 min \| 2 of 2 \| 100\.0 % \| 1 \|/,
    );
    const html = await text('/reports/sla?month=2026-11&format=html');
    expect(html).toContain('<table id="ping-pong">');
    const page = await text(`/reports/sla/explain?ticket=${number}&month=2026-11&format=html`);
    expect(page).toContain('<table id="handoffs">');
    const pdf = await fetch(`${app.url}/reports/sla?month=2026-11&format=pdf`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain('Hand-offs per provider');
  });
});
