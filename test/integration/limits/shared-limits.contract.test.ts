import { randomUUID } from 'node:crypto';
import { systemClock } from '../../../integrations/clock/system-clock';
import { inProcessSharedLimits } from '../../../integrations/limits/in-process-shared-limits';
import { openPostgresSharedLimits } from '../../../integrations/limits/postgres-shared-limits';
import type { SharedLimits } from '../../../src/ports/shared-limits';
import { freshLimitsSchema, postgresLimitsUrl } from '../../helpers/postgres-limits';

const pgUrl = postgresLimitsUrl();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dropSchema = async () => {};

/**
 * Two "instances": for PostgreSQL two separate pools on one database, in-process one object (a single
 * process has nothing to share it with).
 */
const backends: [string, () => Promise<[SharedLimits, SharedLimits]>][] = [
  [
    'in-process',
    async () => {
      const l = inProcessSharedLimits(systemClock);
      return [l, l];
    },
  ],
  ...(pgUrl
    ? ([
        [
          'PostgreSQL',
          async () => {
            const schema = await freshLimitsSchema();
            dropSchema = schema.drop;
            return [await openPostgresSharedLimits(schema.url), await openPostgresSharedLimits(schema.url)];
          },
        ],
      ] as [string, () => Promise<[SharedLimits, SharedLimits]>][])
    : []),
];

describe.each(backends)('SharedLimits contract: %s', (_name, open) => {
  let a: SharedLimits;
  let b: SharedLimits;
  let scope: string;
  beforeAll(async () => {
    [a, b] = await open();
  });
  afterAll(async () => {
    await a.close();
    if (b !== a) await b.close();
    await dropSchema();
  });
  beforeEach(() => {
    scope = `test-${randomUUID()}`;
  });

  it('hands out at most `limit` slots over both instances, even when all ask at once', async () => {
    const got = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tryAcquire(scope, 4, 30_000)),
    );
    const held = got.filter((h): h is string => h !== null);
    expect(held).toHaveLength(4);
    expect(new Set(held).size).toBe(4);
    expect(await a.tryAcquire(scope, 4, 30_000)).toBeNull();
    await b.release(scope, held[0]!);
    expect(await a.tryAcquire(scope, 4, 30_000)).not.toBeNull();
    expect(await b.tryAcquire(scope, 4, 30_000)).toBeNull();
  });

  it('frees a dead holder’s slot when its lease runs out, and a renewed one only when released', async () => {
    // Leases long enough that a loaded machine's late timers cannot make the renewal miss its lease.
    const dead = await a.tryAcquire(scope, 2, 2000);
    const alive = await a.tryAcquire(scope, 2, 2000);
    expect(dead && alive).toBeTruthy();
    expect(await b.tryAcquire(scope, 2, 2000)).toBeNull();
    await sleep(300);
    expect(await a.renew(scope, alive!, 10_000)).toBe(true);
    await sleep(2000);
    // The un-renewed lease ran out: its slot is taken over; the renewed one is still held.
    const taker = await b.tryAcquire(scope, 2, 10_000);
    expect(taker).not.toBeNull();
    expect(await b.tryAcquire(scope, 2, 10_000)).toBeNull();
    expect(await a.renew(scope, dead!, 10_000)).toBe(false);
    // Releasing a lost slot leaves the one who took it over alone.
    await a.release(scope, dead!);
    expect(await a.tryAcquire(scope, 2, 10_000)).toBeNull();
  });

  it('never exceeds a lowered limit', async () => {
    for (let i = 0; i < 4; i++) expect(await a.tryAcquire(scope, 4, 30_000)).not.toBeNull();
    expect(await b.tryAcquire(scope, 2, 30_000)).toBeNull();
  });

  it('shares one rate: a burst over both instances, then the wait until the next request', async () => {
    const rate = { perSecond: 2, burst: 3 };
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await (i % 2 ? a : b).tryTake(scope, rate));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(waits[3]).toBeLessThanOrEqual(500);
    // A refusal takes nothing: after the wait, exactly one more is granted.
    await sleep(waits[3]! + 20);
    expect(await a.tryTake(scope, rate)).toBe(0);
    expect(await b.tryTake(scope, rate)).toBeGreaterThan(0);
  });

  it('holds a pause for every instance, extends it and never shortens it', async () => {
    expect(await b.pauseLeft(scope)).toBe(0);
    await a.pause(scope, 2);
    const left = await b.pauseLeft(scope);
    expect(left).toBeGreaterThan(1500);
    expect(left).toBeLessThanOrEqual(2000);
    await b.pause(scope, 1);
    expect(await a.pauseLeft(scope)).toBeGreaterThan(1000);
    await b.pause(scope, 5);
    expect(await a.pauseLeft(scope)).toBeGreaterThan(4000);
    await a.pause(scope, 0);
    await a.pause(scope, Number.NaN);
    expect(await b.pauseLeft(`${scope}-other`)).toBe(0);
  });
});
