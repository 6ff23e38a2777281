import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

type Context = Record<string, string>;
const fixture = (name: string): Context =>
  (
    JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'checkmk', name), 'utf8')) as {
      context: Context;
    }
  ).context;

/** What Checkmk appends after cutting a value at 65,536 characters (cmk/base/notify.py). */
const CUT_MARK = '...\nAttention: Removed remaining content because it was too long.';

/** A service notification as the Nagios core (Checkmk Raw) sends it. */
function nagiosService(service: string, type: 'PROBLEM' | 'RECOVERY', problemId: string): Context {
  const base = fixture(type === 'PROBLEM' ? 'problem-service.json' : 'recovery-service.json');
  return {
    ...base,
    SERVICEDESC: service,
    SERVICEDISPLAYNAME: service,
    // Nagios: the current id is 0 after recovery, the old one moves to LASTSERVICEPROBLEMID.
    SERVICEPROBLEMID: type === 'PROBLEM' ? problemId : '0',
    LASTSERVICEPROBLEMID: type === 'PROBLEM' ? '0' : problemId,
  };
}

describe('Checkmk webhook (real server, real SQLite file)', () => {
  let app: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    app = await startTestApp({ clock });
  });
  afterEach(() => app.close());

  const incidents = async () => {
    await app.settle();
    return (await app.api('/api/incidents')).incidents as { id: number; state: string; service: string }[];
  };

  it('resolves on a Nagios-core recovery whose problem id is 0, keyed on LASTSERVICEPROBLEMID', async () => {
    expect((await app.post('checkmk', { context: nagiosService('Queue A', 'PROBLEM', '4711') })).status).toBe(
      202,
    );
    expect((await app.post('checkmk', { context: nagiosService('Queue B', 'PROBLEM', '4712') })).status).toBe(
      202,
    );
    const [b, a] = await incidents();
    expect([a?.service, b?.service]).toEqual(['Queue A', 'Queue B']);

    expect(
      (await app.post('checkmk', { context: nagiosService('Queue A', 'RECOVERY', '4711') })).status,
    ).toBe(202);
    const after = await incidents();
    expect(after.find((i) => i.service === 'Queue A')?.state).toBe('resolving');
    // The other problem is untouched: id-0 recoveries no longer share one key per site.
    expect(after.find((i) => i.service === 'Queue B')?.state).toBe('open');
    const detail = await app.api(`/api/incidents/${a?.id}`);
    expect(detail.alerts.map((m: { dedupKey: string }) => m.dedupKey)).toEqual(['checkmk:dms_central:4711']);
  });

  it('falls back to host and service when neither problem id is set', async () => {
    const ctx = {
      ...nagiosService('Queue C', 'PROBLEM', '0'),
      SERVICEPROBLEMID: '0',
      LASTSERVICEPROBLEMID: '',
    };
    expect((await app.post('checkmk', { context: ctx })).status).toBe(202);
    const [inc] = await incidents();
    const detail = await app.api(`/api/incidents/${inc?.id}`);
    expect(detail.alerts[0].dedupKey).toBe('checkmk:dms_central:stu01-prt01!Queue C');
  });

  it('clips a value Checkmk already cut at 65,536 characters instead of refusing it', async () => {
    const long = `${'x'.repeat(65536)}${CUT_MARK}`;
    const res = await app.post('checkmk', {
      context: { ...fixture('problem-service.json'), LONGSERVICEOUTPUT: long },
    });
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(1);
  });

  it('accepts every context of a bulk when one of them carries an oversized value', async () => {
    const contexts = ['Queue D', 'Queue E', 'Queue F'].map((s, i) =>
      nagiosService(s, 'PROBLEM', String(900 + i)),
    );
    contexts[1] = { ...contexts[1]!, SERVICEOUTPUT: `${'y'.repeat(70000)}${CUT_MARK}` };
    const res = await app.post('checkmk', { contexts });
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(3);
    const open = await incidents();
    expect(open.map((i) => i.service).sort()).toEqual(['Queue D', 'Queue E', 'Queue F']);
    const e = open.find((i) => i.service === 'Queue E');
    const detail = await app.api(`/api/incidents/${e?.id}`);
    expect(detail.alerts[0].summary.length).toBeLessThanOrEqual(1000);
  });

  it('holds flapping reported by Checkmk until FLAPPINGSTOP, across correlator ticks', async () => {
    const problem = fixture('problem-service.json');
    const flap = (type: string) => ({ ...problem, NOTIFICATIONTYPE: type });
    await app.post('checkmk', { context: problem });
    await app.post('checkmk', { context: flap('FLAPPINGSTART') });
    const [inc] = await incidents();
    const flapping = async () => (await app.api(`/api/incidents/${inc?.id}`)).flapping as boolean;
    expect(await flapping()).toBe(true);
    for (const seconds of [1, 60, 3600]) {
      clock.advance(seconds);
      await app.settle(); // each pass ends with the housekeeping tick
      expect(await flapping()).toBe(true);
    }
    await app.post('checkmk', { context: flap('FLAPPINGSTOP') });
    await app.settle();
    expect(await flapping()).toBe(false);
  });

  it('lets reported flapping go when the incident resolves before FLAPPINGSTOP', async () => {
    const problem = fixture('problem-service.json');
    await app.post('checkmk', { context: problem });
    await app.post('checkmk', { context: { ...problem, NOTIFICATIONTYPE: 'FLAPPINGSTART' } });
    await app.post('checkmk', { context: fixture('recovery-service.json') });
    const [inc] = await incidents();
    clock.advance(1801); // flapping: the resolve waits out the flapping window (30 min)
    await app.settle();
    await app.settle();
    expect(await app.api(`/api/incidents/${inc?.id}`)).toMatchObject({ state: 'resolved', flapping: false });
  });
});
