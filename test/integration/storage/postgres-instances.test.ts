import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlateBatch, type CorrelateDeps } from '../../../src/app/correlate-batch';
import { loadConfig } from '../../../src/config/load-config';
import type { Alert } from '../../../src/core/alert/alert';
import type { Store } from '../../../src/ports/store';
import { openPostgresStore } from '../../../integrations/storage/postgres/open-postgres-store';
import { ManualClock, silentLogger } from '../../helpers/test-app';
import { freshPostgresSchema, postgresWanted, type TestSchema } from '../../helpers/postgres';
import { alert, incident, minute } from './contract/backends';

/** Two stores on one PostgreSQL schema: what two instances of the bridge sharing a database see. */
(postgresWanted() ? describe : describe.skip)('two instances on one PostgreSQL database', () => {
  let schema: TestSchema;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    schema = await freshPostgresSchema();
    a = await openPostgresStore(schema.url, { schema: schema.schema, poolSize: 4 });
    b = await openPostgresStore(schema.url, { schema: schema.schema, poolSize: 4 });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await schema.drop();
  });

  it('claim different commands at the same moment (SKIP LOCKED), without waiting for each other', async () => {
    await a.unitOfWork(async (uow) => {
      for (let i = 1; i <= 6; i++)
        await uow.outbox.enqueue({
          incidentId: i,
          lane: 'jira',
          kind: 'create',
          payload: {},
          notBefore: minute(0),
          at: minute(0),
        });
    });
    let claimedByA: number[] = [];
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let aClaimed = () => {};
    const aHasClaimed = new Promise<void>((r) => (aClaimed = r));
    // A's claim stays uncommitted (its rows locked) while B claims.
    const first = a.unitOfWork(async (uow) => {
      claimedByA = (await uow.outbox.claim('jira', minute(0), 3, { owner: 'a', until: minute(1) })).map(
        (c) => c.id,
      );
      aClaimed();
      await held;
    });
    await aHasClaimed;
    const claimedByB = (
      await b.unitOfWork((uow) => uow.outbox.claim('jira', minute(0), 10, { owner: 'b', until: minute(1) }))
    ).map((c) => c.id);
    release();
    await first;
    expect(claimedByA).toEqual([1, 2, 3]);
    expect(claimedByB).toEqual([4, 5, 6]);
  });

  it('correlating the same group on both at the same moment opens one incident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-pg-'));
    const file = join(dir, 'itsm-bridge.yaml');
    writeFileSync(file, 'routing:\n  defaults: { groupBy: [branch] }\n');
    const loaded = loadConfig({ file, cwd: dir, env: { DATABASE_URL: 'sqlite::memory:' } });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const { config } = loaded.value;
    const clock = new ManualClock();
    const deps = (store: Store): CorrelateDeps => ({
      store,
      clock,
      logger: silentLogger,
      routing: config.routing,
      correlation: config.correlation,
      maintenance: config.maintenance,
      ticketing: { lanes: [], chatLanes: [], groupWait: 0, noteInterval: 0 },
    });
    // An HA Alertmanager pair: the same group delivered to both instances, each alert to each.
    const group: Alert[] = Array.from({ length: 8 }, (_, i) => alert(`host-${i}`));
    await Promise.all([a.inbox.accept(group), b.inbox.accept(group)]);
    const drain = async (store: Store) => {
      while ((await store.inbox.lag()).pending > 0) await correlateBatch(deps(store), 3);
    };
    await Promise.all([drain(a), drain(b)]);
    const incidents = await a.incidents.list({ limit: 10 });
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ memberCount: 8, alertCount: 16 });
  });

  it('take turns on an incident: two units of work changing it at once both take effect', async () => {
    const [inc] = await a.unitOfWork(async (uow) => [await uow.incidents.insert(incident('g1'))]);
    // Each reads the incident and writes back one more alert: without the row lock one would be lost.
    const bump = (store: Store) =>
      store.unitOfWork(async (uow) => {
        const current = await uow.incidents.get(inc!.id);
        await new Promise((r) => setTimeout(r, 50));
        await uow.incidents.update(inc!.id, { alertCount: current!.alertCount + 1 });
      });
    await Promise.all([bump(a), bump(b), bump(a), bump(b)]);
    expect((await a.incidents.get(inc!.id))!.alertCount).toBe(5);
  });
});
