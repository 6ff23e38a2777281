import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../helpers/test-app';

const firing = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'generic', 'firing.json'), 'utf8'));

describe('graceful shutdown with the sandbox inside the server', () => {
  it('keeps the in-process emulators answering while it drains, so the calls being finished succeed', async () => {
    const app = await startTestApp({
      yaml: 'correlation: { groupWait: 0 }\ntickets: { pollInterval: 1 }\nslack: { enabled: false }\nteams: { enabled: false }\n',
    });
    const sn = app.sandboxes.servicenow!;
    // A create is several requests in a row (look-up, insert): the later ones go out during the drain.
    sn.faults.latencyMs = 300;
    expect((await app.post('generic', firing)).status).toBe(202);
    app.correlation.wake();
    for (let i = 0; i < 300 && !sn.state.callLog.some((c) => c.finishedAt === null); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(sn.state.callLog.some((c) => c.finishedAt === null)).toBe(true);
    await app.shutdown();

    expect(sn.state.callLog.filter((c) => c.status !== null && c.status >= 500)).toEqual([]);
    const creates = (await app.database.query(
      "SELECT lane, state FROM outbox WHERE kind = 'create' ORDER BY lane",
    )) as { lane: string; state: string }[];
    expect(creates.find((c) => c.lane === 'servicenow')).toEqual({ lane: 'servicenow', state: 'done' });
    expect(sn.state.incidents).toHaveLength(1);
  });
});
