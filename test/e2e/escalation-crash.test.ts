import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAudit } from '../../src/app/verify-audit';
import { openStore } from '../../src/composition/open-store';
import { testDatabase, testStore } from '../helpers/test-database';
import { freePort, startChild, waitExit } from '../helpers/child-server';

const TOKEN = 'escalation-crash-token-123';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A paging gateway outside the server process: it survives the kill and counts what reached it. */
async function pagingGateway(): Promise<{
  server: Server;
  url: string;
  events: { event: string; dedupKey: string }[];
}> {
  const events: { event: string; dedupKey: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      events.push(JSON.parse(body) as { event: string; dedupKey: string });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/page`, events };
}

describe('escalation across a SIGKILL of the real server process', () => {
  it('loses no step and repeats none when the server dies between two steps', async () => {
    const gateway = await pagingGateway();
    const dir = mkdtempSync(join(tmpdir(), 'itsm-escalation-crash-'));
    const database = await testDatabase(dir, 'escalation.sqlite');
    // Real clock: steps a few seconds apart; the kill falls between the first and the second.
    writeFileSync(
      join(dir, 'itsm-bridge.yaml'),
      `correlation: { groupWait: 0 }
slack: { updateInterval: 0 }
teams: { enabled: false }
providers:
  - name: infra
    chat: { slackChannel: "#dms-infra-oncall" }
    oncall: [{ name: Anna Schmidt, slack: U0ANNA0001 }]
routing:
  defaults: { provider: infra, groupBy: [branch], impact: 1, urgency: 1 }
paging:
  gateway: { kind: webhook, url: "${gateway.url}" }
escalation:
  infra:
    lead: { name: Jonas Weber, slackUser: U0JONAS001 }
    policies:
      - priorities: [1]
        steps:
          - { after: 0s, dm: [oncall] }
          - { after: 4s, page: gateway }
          - { after: 6s, dm: [lead] }
`,
    );
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN: TOKEN,
      API_TOKEN: 'y'.repeat(24),
      LOG_LEVEL: 'error',
    };
    // Before the child server has migrated there is no timeline yet: no steps.
    const steps = async () =>
      (
        await database
          .query("select data from timeline where type = 'escalation_step' order by id")
          .catch(() => [])
      ).map((r) => (JSON.parse(String(r.data)) as { step: number }).step);
    const until = async (ok: () => Promise<boolean>, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (await ok()) return true;
      return ok();
    };

    let server = await startChild(env, dir);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        dedupKey: 'k',
        status: 'firing',
        severity: 'critical',
        summary: 'down',
        branch: 'b1',
      }),
    });
    expect(res.status).toBe(202);
    expect(await until(async () => (await steps()).length === 1, 10_000)).toBe(true);
    server.child.kill('SIGKILL');
    await waitExit(server.child);

    // Down while the page falls due; it is sent after the restart, once, and the last step follows.
    await sleep(4500);
    expect(await steps()).toEqual([0]);
    server = await startChild(env, dir);
    // On PostgreSQL the restarted process is another instance: it leads (and runs the escalation timers)
    // once the killed one's leader lease has run out (up to 30 s; docs/reliability.md).
    const takeover = testStore() === 'postgres' ? 50_000 : 15_000;
    expect(await until(async () => (await steps()).length === 3 && gateway.events.length > 0, takeover)).toBe(
      true,
    );
    // The last step's chat message is sent by the outbox, which a loaded machine may take a while for.
    const sent = async () =>
      (
        await database.query(
          "select count(*) n from outbox where kind in ('chat_notify', 'page') and state <> 'done'",
        )
      ).every((r) => Number(r.n) === 0);
    await until(sent, 10_000);
    await sleep(500);
    server.child.kill('SIGTERM');
    await waitExit(server.child);

    expect(await steps()).toEqual([0, 1, 2]);
    expect(gateway.events.map((e) => e.event)).toEqual(['trigger']);
    const commands = (
      await database.query(
        "select kind, state, count(*) n from outbox where kind in ('chat_notify', 'page') group by kind, state order by kind, state",
      )
    ).map((r) => ({ ...r, n: Number(r.n) }));
    expect(commands).toEqual([
      { kind: 'chat_notify', state: 'done', n: 2 },
      { kind: 'page', state: 'done', n: 1 },
    ]);
    const run = await database.query('select state, next_step from escalations');
    expect(run).toEqual([{ state: 'finished', next_step: 3 }]);
    gateway.server.close();
    const store = await openStore(database.url);
    expect(await verifyAudit(store)).toMatchObject({ ok: true });
    await store.close();
    await database.drop();
  }, 120_000);
});
