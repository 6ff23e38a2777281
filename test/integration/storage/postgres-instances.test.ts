import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { correlateBatch, type CorrelateDeps } from '../../../src/app/correlate-batch';
import { loadConfig } from '../../../src/config/load-config';
import type { Alert } from '../../../src/core/alert/alert';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { Store } from '../../../src/ports/store';
import { systemClock } from '../../../integrations/clock/system-clock';
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

  describe('leader lease', () => {
    const leaderSessions = () =>
      schema.query(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ? AND objsubid = 2 AND objid = (hashtext(current_schema() || '/jobs') & 2147483647)::oid",
        0x17b015e + 1,
      );

    /** A hold of 2 s from now: the database's clock judges it, so the test waits in real time. */
    const span = (): [string, string] => {
      const at = systemClock.now().getTime();
      return [new Date(at).toISOString(), new Date(at + 2000).toISOString()];
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const endsIn = (lease: LeaderLease) => lease.endsIn(systemClock.now().toISOString());

    it('moves to the other instance within the lease when the leader dies', async () => {
      const la = a.leaderLease('jobs', 'a');
      const lb = b.leaderLease('jobs', 'b');
      expect(await la.hold(...span())).toBe(true);
      expect(await lb.hold(...span())).toBe(false);
      expect(await la.hold(...span())).toBe(true);
      // A dies: its session (and the advisory lock) goes with it; its lease row stays.
      const [session] = await leaderSessions();
      await schema.query('SELECT pg_terminate_backend(?)', session!.pid);
      for (let i = 0; i < 100 && (await leaderSessions()).length > 0; i++) await sleep(50);
      // B gets the lock but not the row: A, if only cut off, may still act until its row runs out.
      expect(await lb.hold(...span())).toBe(false);
      const [candidate] = await leaderSessions();
      expect(candidate?.pid).not.toBe(session!.pid);
      expect(await endsIn(lb)).toBeGreaterThan(1000);
      await sleep((await endsIn(lb)) + 20);
      expect(await lb.hold(...span())).toBe(true);
      // A, back, does not lead while B holds it.
      expect(await la.hold(...span())).toBe(false);
      await la.release();
      await lb.release();
    });

    it('replaces a leader that hangs (session open, lease run out)', async () => {
      const la = a.leaderLease('jobs', 'a');
      const lb = b.leaderLease('jobs', 'b');
      expect(await la.hold(...span())).toBe(true);
      expect(await lb.hold(...span())).toBe(false);
      // A renews nothing; once its lease has run out B ends A's session and leads.
      await sleep((await endsIn(lb)) + 20);
      expect(await lb.hold(...span())).toBe(true);
      expect(await la.hold(...span())).toBe(false);
      await la.release();
      await lb.release();
    });

    it("judges the lease by the database clock, not by the instances' clocks", async () => {
      const la = a.leaderLease('jobs', 'a');
      const lb = b.leaderLease('jobs', 'b');
      expect(await la.hold(minute(0), minute(1))).toBe(true);
      // B's clock runs a day ahead of A's: by its clock A's lease has long run out, by the database's not.
      expect(await lb.hold(minute(24 * 60), minute(24 * 60 + 1))).toBe(false);
      expect(await lb.endsIn(minute(24 * 60))).toBeGreaterThan(50_000);
      await la.release();
    });

    it('is taken over at once after a clean release', async () => {
      const la = a.leaderLease('jobs', 'a');
      const lb = b.leaderLease('jobs', 'b');
      expect(await la.hold(minute(0), minute(1))).toBe(true);
      await la.release();
      expect(await lb.hold(minute(0), minute(1))).toBe(true);
      await lb.release();
      expect(await leaderSessions()).toEqual([]);
    });
  });
});
