import { OutboxWorker } from '../../../src/app/outbox-worker';
import type { LaneRunner } from '../../../src/app/lane-runner';
import type { Logger } from '../../../src/ports/logger';
import type { Store } from '../../../src/ports/store';
import { RemoteLaneDriver } from '../../../integrations/lanes/remote-lane-driver';
import { ManualClock } from '../../helpers/test-app';
import { BACKENDS, freshStore, incident, insertIncidents } from '../storage/contract/backends';

/** A lane runner whose remote call finishes only when the test says so. */
function heldRunner(summary: string) {
  let release = () => {};
  let started = () => {};
  const running = new Promise<void>((r) => (started = r));
  const done = new Promise<void>((r) => (release = r));
  const run: LaneRunner = async () => {
    started();
    await done;
    return { summary };
  };
  return { run, running, release: () => release() };
}

const instantRunner =
  (summary: string): LaneRunner =>
  async () => ({ summary });

/** An outbox worker with only the ServiceNow lane, a 30 s lease and no timer of its own. */
function laneWorker(store: Store, clock: ManualClock, logger: Logger, instanceId: string, run: LaneRunner) {
  const w = new OutboxWorker({
    store,
    clock,
    logger,
    chatLanes: [],
    chatInterval: 0,
    maxBackoff: 60,
    pollMs: 60_000,
    instanceId,
    leaseMs: 30_000,
  });
  w.addLane('servicenow', {
    run,
    driver: new RemoteLaneDriver({ clock, concurrency: 2, system: 'servicenow' }),
  });
  return w;
}

describe.each(BACKENDS)('outbox claims across workers (%s)', (_name, open) => {
  const t = freshStore(open);

  it('a worker that stalled past its lease cannot record its outcome; the worker that took over does', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const now = clock.now().toISOString();
    await t.store.unitOfWork((uow) =>
      uow.outbox.enqueue({
        incidentId: inc!.id,
        lane: 'servicenow',
        kind: 'comment',
        payload: { text: 'restarted the pod' },
        notBefore: now,
        at: now,
      }),
    );
    const worker = (instanceId: string, run: LaneRunner) =>
      laneWorker(t.store, clock, logger, instanceId, run);
    // Not started: no heartbeat renews its claim, as in a process that stopped (GC pause, SIGSTOP).
    const stalled = heldRunner('stale outcome');
    const a = worker('a', stalled.run);
    a.wake();
    await stalled.running;

    // While A's claim holds, B finds nothing to claim: the command runs once.
    const b = worker('b', instantRunner('outcome of the takeover'));
    await b.drain(2_000);
    expect((await t.store.outbox.of(inc!.id))[0]).toMatchObject({ state: 'pending' });

    clock.advance(31);
    await b.drain();
    expect((await t.store.outbox.of(inc!.id))[0]).toMatchObject({ state: 'done', attempts: 1 });

    stalled.release();
    await a.stop();
    await b.stop();
    const reasons = (await t.store.timeline.of(inc!.id, 50)).map((e) => e.reason);
    expect(reasons).toContain('servicenow: outcome of the takeover');
    expect(reasons).not.toContain('servicenow: stale outcome');
    expect(warnings).toContain('outbox claim lost; outcome not recorded');
    expect((await t.store.outbox.of(inc!.id))[0]).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('a worker restarted under the same owner name frees its killed predecessor’s claims at once', async () => {
    const clock = new ManualClock();
    const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const now = clock.now().toISOString();
    await t.store.unitOfWork(async (uow) => {
      await uow.outbox.enqueue({
        incidentId: inc!.id,
        lane: 'servicenow',
        kind: 'comment',
        payload: { text: 'restarted the pod' },
        notBefore: now,
        at: now,
      });
      // The predecessor claimed it and was killed: its lease would hold for another 30 s.
      await uow.outbox.claim('servicenow', now, 10, {
        owner: 'sqlite-instance',
        until: new Date(clock.now().getTime() + 30_000).toISOString(),
      });
    });
    const w = laneWorker(t.store, clock, logger, 'sqlite-instance', instantRunner('sent after the restart'));
    expect(await w.recoverClaims()).toBe(1);
    await w.drain();
    await w.stop();
    // Run once, under the next claim number, without waiting out the dead lease.
    expect((await t.store.outbox.of(inc!.id))[0]).toMatchObject({ state: 'done', attempts: 1 });
  });
});
