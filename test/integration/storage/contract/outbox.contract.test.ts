import type { LaneCommand } from '../../../../src/core/outbox/outbox-command';
import type { Lane, OutboxQueue, Store } from '../../../../src/ports/store';
import { BACKENDS, freshStore, minute } from './backends';

type NewCommand = Parameters<OutboxQueue['enqueue']>[0];
type Patch = Parameters<OutboxQueue['update']>[1];

const create = (lane: 'servicenow' | 'jira'): LaneCommand => ({ lane, kind: 'create', payload: {} });
const note = (lane: 'servicenow' | 'jira'): LaneCommand => ({
  lane,
  kind: 'note',
  payload: { since: minute(0) },
});
const comment: LaneCommand = { lane: 'servicenow', kind: 'comment', payload: { text: 'restarted the pod' } };
const chatSync = (lane: 'slack' | 'teams'): LaneCommand => ({ lane, kind: 'chat_sync', payload: {} });

/** A command for an incident, due at minute `due`, queued at minute `at`. */
const cmd = (incidentId: number, command: LaneCommand, due = 0, at = 0): NewCommand => ({
  incidentId,
  notBefore: minute(due),
  at: minute(at),
  ...command,
});

/** Enqueues in one unit of work; on a fresh store the commands get ids 1, 2, … in this order. */
const enqueue = (store: Store, ...commands: NewCommand[]) =>
  store.unitOfWork(async (uow) => {
    for (const c of commands) await uow.outbox.enqueue(c);
  });
const update = (store: Store, id: number, patch: Omit<Patch, 'updatedAt'>, at = 1) =>
  store.unitOfWork((uow) => uow.outbox.update(id, { ...patch, updatedAt: minute(at) }));
const dueIds = async (store: Store, lane: Lane, now: number, limit = 10) =>
  (await store.unitOfWork((uow) => uow.outbox.due(lane, minute(now), limit))).map((c) => c.id);

describe.each(BACKENDS)('outbox contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('defers every pending command of a lane due before a Retry-After, and only those', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(2, create('servicenow'), 20), // already later than the wait: stays
      cmd(3, create('jira')), // another lane: stays
      cmd(4, create('servicenow')),
    );
    await update(t.store, 4, { state: 'parked' });
    const moved = await t.store.unitOfWork((uow) =>
      uow.outbox.deferLane('servicenow', minute(10), minute(1)),
    );
    expect(moved).toBe(1);
    expect(await dueIds(t.store, 'servicenow', 9)).toEqual([]);
    expect(await dueIds(t.store, 'servicenow', 10)).toEqual([1]);
    expect(await dueIds(t.store, 'servicenow', 20)).toEqual([1, 2]);
    expect(await dueIds(t.store, 'jira', 0)).toEqual([3]);
  });

  it('counts on a command it queued or found within the transaction until that command ends', async () => {
    const seen = await t.store.unitOfWork(async (uow) => {
      const answers: boolean[] = [await uow.outbox.hasPending(1, 'jira', 'note')];
      await uow.outbox.enqueue(cmd(1, note('jira')));
      answers.push(await uow.outbox.hasPending(1, 'jira', 'note'));
      answers.push(await uow.outbox.hasPending(1, 'servicenow', 'note'));
      const queued = await uow.outbox.pending(1, 'jira', 'note');
      await uow.outbox.update(queued!.id, { state: 'done', updatedAt: minute(1) });
      answers.push(await uow.outbox.hasPending(1, 'jira', 'note'));
      return answers;
    });
    expect(seen).toEqual([false, true, false, false]);
    await enqueue(t.store, cmd(2, note('jira')));
    const later = await t.store.unitOfWork(async (uow) => {
      const first = await uow.outbox.hasPending(2, 'jira', 'note');
      await uow.outbox.claim('jira', minute(1), 10, { owner: 'a', until: minute(2) });
      return [first, await uow.outbox.hasPending(2, 'jira', 'note')];
    });
    expect(later).toEqual([true, false]);
  });

  it('waits for a claim being committed beside it before it counts on a pending command', async () => {
    // A chat redraw claimed at this moment may already have read the incident: a change committed
    // after it must queue a redraw of its own instead of counting on this one (PostgreSQL: FOR UPDATE).
    await enqueue(t.store, cmd(1, chatSync('slack')));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimed!: () => void;
    const inClaim = new Promise<void>((r) => (claimed = r));
    const claiming = t.store.unitOfWork(async (uow) => {
      expect(await uow.outbox.claim('slack', minute(1), 10, { owner: 'a', until: minute(2) })).toHaveLength(
        1,
      );
      claimed();
      await held;
    });
    await inClaim;
    const asking = t.store.unitOfWork((uow) => uow.outbox.hasPending(1, 'slack', 'chat_sync'));
    setTimeout(release, 300);
    await claiming;
    expect(await asking).toBe(false);
  });

  it('hands out only due commands, oldest first, the first in line per incident and lane', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(1, note('servicenow')), // waits for 1
      cmd(1, create('jira')), // another lane of incident 1: not blocked
      cmd(2, create('servicenow')), // another incident: not blocked
      cmd(3, create('servicenow'), 10), // not due before minute 10
      cmd(3, comment), // due, but waits for 5 (pending, though not due yet)
      cmd(4, chatSync('slack')),
    );
    expect(await dueIds(t.store, 'servicenow', 5)).toEqual([1, 4]);
    expect(await dueIds(t.store, 'servicenow', 5, 1)).toEqual([1]);
    expect(await dueIds(t.store, 'servicenow', 10)).toEqual([1, 4, 5]);
    expect(await dueIds(t.store, 'servicenow', -1)).toEqual([]);
    expect(await dueIds(t.store, 'slack', 5)).toEqual([7]);
    expect(await dueIds(t.store, 'teams', 5)).toEqual([]);
    expect(await t.store.unitOfWork((uow) => uow.outbox.due('jira', minute(5), 10))).toEqual([
      {
        id: 3,
        incidentId: 1,
        lane: 'jira',
        kind: 'create',
        payload: {},
        state: 'pending',
        attempts: 0,
        notBefore: minute(0),
        lastError: null,
        createdAt: minute(0),
        updatedAt: minute(0),
        requestId: null,
      },
    ]);
  });

  it('lets the next command of an incident and lane run once the earlier one is done, not while it is parked', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(1, note('servicenow')),
      cmd(1, comment),
      cmd(2, create('servicenow')),
      cmd(1, create('jira')),
    );
    await update(t.store, 1, { state: 'parked', lastError: 'HTTP 403' });
    expect(await dueIds(t.store, 'servicenow', 5)).toEqual([4]);
    expect(await dueIds(t.store, 'jira', 5)).toEqual([5]);
    await update(t.store, 1, { state: 'done' });
    expect(await dueIds(t.store, 'servicenow', 5)).toEqual([2, 4]);
    await update(t.store, 2, { state: 'done' });
    await update(t.store, 4, { state: 'done' });
    expect(await dueIds(t.store, 'servicenow', 5)).toEqual([3]);
  });

  it('finds the oldest pending command of a kind for an incident and lane', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(1, note('servicenow'), 3, 1),
      cmd(1, { lane: 'servicenow', kind: 'note', payload: { since: minute(2) } }, 4, 2),
      cmd(1, note('jira')),
      cmd(2, note('servicenow')),
    );
    const pending = (incidentId: number, lane: Lane, kind: 'note' | 'create' | 'resolve') =>
      t.store.unitOfWork((uow) => uow.outbox.pending(incidentId, lane, kind));
    expect(await pending(1, 'servicenow', 'note')).toEqual({
      id: 2,
      incidentId: 1,
      lane: 'servicenow',
      kind: 'note',
      payload: { since: minute(0) },
      state: 'pending',
      attempts: 0,
      notBefore: minute(3),
      lastError: null,
      createdAt: minute(1),
      updatedAt: minute(1),
      requestId: null,
    });
    expect((await pending(1, 'jira', 'note'))?.id).toBe(4);
    expect((await pending(2, 'servicenow', 'note'))?.id).toBe(5);
    expect(await pending(1, 'servicenow', 'resolve')).toBeNull();
    expect(await pending(3, 'servicenow', 'note')).toBeNull();
    const all = (incidentId: number, lane: Lane) =>
      t.store.unitOfWork(async (uow) =>
        (await uow.outbox.pendingAll(incidentId, lane, 'note')).map((c) => c.id),
      );
    expect(await all(1, 'servicenow')).toEqual([2, 3]);
    expect(await all(1, 'jira')).toEqual([4]);
    expect(await all(3, 'servicenow')).toEqual([]);
    await update(t.store, 2, { state: 'done' });
    expect(await all(1, 'servicenow')).toEqual([3]);
    expect((await pending(1, 'servicenow', 'note'))?.id).toBe(3);
    await update(t.store, 3, { state: 'parked' });
    expect(await pending(1, 'servicenow', 'note')).toBeNull();
  });

  it('tells whether a command of a kind is pending for an incident and lane', async () => {
    await enqueue(t.store, cmd(1, note('servicenow')), cmd(2, create('jira')));
    const pending = (incidentId: number, lane: Lane, kind: 'note' | 'create') =>
      t.store.unitOfWork((uow) => uow.outbox.hasPending(incidentId, lane, kind));
    expect(await pending(1, 'servicenow', 'note')).toBe(true);
    expect(await pending(1, 'jira', 'note')).toBe(false);
    expect(await pending(1, 'servicenow', 'create')).toBe(false);
    expect(await pending(2, 'servicenow', 'note')).toBe(false);
    expect(await pending(2, 'jira', 'create')).toBe(true);
    await update(t.store, 1, { state: 'parked' });
    expect(await pending(1, 'servicenow', 'note')).toBe(false);
    await update(t.store, 1, { state: 'pending' });
    expect(await pending(1, 'servicenow', 'note')).toBe(true);
    await update(t.store, 1, { state: 'done' });
    expect(await pending(1, 'servicenow', 'note')).toBe(false);
  });

  it('does not count a claimed command as pending: it is in flight, a later change needs one of its own', async () => {
    await enqueue(t.store, cmd(1, note('servicenow')));
    const ask = () =>
      t.store.unitOfWork(async (uow) => [
        await uow.outbox.hasPending(1, 'servicenow', 'note'),
        (await uow.outbox.pending(1, 'servicenow', 'note'))?.id ?? null,
      ]);
    expect(await ask()).toEqual([true, 1]);
    const [claimed] = await t.store.unitOfWork((uow) =>
      uow.outbox.claim('servicenow', minute(60), 1, { owner: 'a', until: minute(61) }),
    );
    expect(claimed?.id).toBe(1);
    expect(await ask()).toEqual([false, null]);
  });

  it('keeps the request id that caused a command, null when none did', async () => {
    await enqueue(t.store, { ...cmd(1, create('servicenow')), requestId: 'req-9' }, cmd(1, create('jira')));
    const requestIds = await t.store.unitOfWork(async (uow) => [
      (await uow.outbox.get(1))?.requestId,
      (await uow.outbox.get(2))?.requestId,
    ]);
    expect(requestIds).toEqual(['req-9', null]);
  });

  it('counts pending and parked commands per lane, with the oldest pending one', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow'), 0, 2),
      cmd(2, create('servicenow'), 0, 1),
      cmd(1, create('jira'), 0, 3),
      cmd(3, chatSync('slack'), 0, 4),
    );
    await update(t.store, 3, { state: 'parked' });
    await update(t.store, 4, { state: 'done' });
    expect(await t.store.outbox.statsByLane()).toEqual([
      { lane: 'jira', pending: 0, parked: 1, oldestPendingAt: null },
      { lane: 'servicenow', pending: 2, parked: 0, oldestPendingAt: minute(1) },
      { lane: 'slack', pending: 0, parked: 0, oldestPendingAt: null },
    ]);
  });

  it('reads a command by id and updates its state, attempts, schedule and last error', async () => {
    await enqueue(t.store, cmd(1, comment, 0, 0));
    const get = () => t.store.unitOfWork((uow) => uow.outbox.get(1));
    const queued = {
      id: 1,
      incidentId: 1,
      ...comment,
      state: 'pending',
      attempts: 0,
      notBefore: minute(0),
      lastError: null,
      createdAt: minute(0),
      updatedAt: minute(0),
      requestId: null,
    };
    expect(await get()).toEqual(queued);
    expect(await t.store.unitOfWork((uow) => uow.outbox.get(2))).toBeNull();
    await update(t.store, 1, { attempts: 2, notBefore: minute(7), lastError: 'HTTP 503' }, 3);
    expect(await get()).toEqual({
      ...queued,
      attempts: 2,
      notBefore: minute(7),
      lastError: 'HTTP 503',
      updatedAt: minute(3),
    });
    await update(t.store, 1, { state: 'done', lastError: null }, 4);
    expect(await get()).toEqual({
      ...queued,
      state: 'done',
      attempts: 2,
      notBefore: minute(7),
      lastError: null,
      updatedAt: minute(4),
    });
    expect(await t.store.outbox.of(1)).toEqual([await get()]);
  });

  it('replays parked commands, all of them or one, and counts them', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(2, create('servicenow')),
      cmd(3, create('jira')),
      cmd(4, create('jira')),
      cmd(5, chatSync('teams')),
    );
    for (const id of [1, 2, 3]) await update(t.store, id, { state: 'parked', lastError: 'bad config' });
    await update(t.store, 5, { state: 'done' });
    const replay = (now: number, id?: number) =>
      t.store.unitOfWork((uow) => uow.outbox.replayParked(minute(now), id));
    const states = async () =>
      (await Promise.all([1, 2, 3, 4, 5].map((i) => t.store.outbox.of(i)))).map(([c]) => [
        c!.state,
        c!.notBefore,
        c!.updatedAt,
      ]);

    const parked = ['parked', minute(0), minute(1)];
    const untouched = ['pending', minute(0), minute(0)];
    const done = ['done', minute(0), minute(1)];
    const replayedAt = (n: number) => ['pending', minute(n), minute(n)];

    expect(await replay(9, 2)).toBe(1);
    expect(await replay(9, 4)).toBe(0);
    expect(await replay(9, 5)).toBe(0);
    expect(await states()).toEqual([parked, replayedAt(9), parked, untouched, done]);
    expect(await replay(10)).toBe(2);
    expect(await states()).toEqual([replayedAt(10), replayedAt(9), replayedAt(10), untouched, done]);
    expect(await replay(11)).toBe(0);
  });

  it('counts pending and parked commands and tells when the oldest pending one was queued', async () => {
    expect(await t.store.outbox.stats()).toEqual({ pending: 0, parked: 0, oldestPendingAt: null });
    await enqueue(
      t.store,
      cmd(1, create('servicenow'), 0, 3),
      cmd(2, create('servicenow'), 0, 1),
      cmd(3, create('jira'), 0, 5),
      cmd(4, chatSync('slack'), 0, 6),
    );
    await update(t.store, 2, { state: 'parked' });
    expect(await t.store.outbox.stats()).toEqual({ pending: 3, parked: 1, oldestPendingAt: minute(3) });
    await update(t.store, 1, { state: 'done' });
    expect(await t.store.outbox.stats()).toEqual({ pending: 2, parked: 1, oldestPendingAt: minute(5) });
  });

  it('lists the commands of an incident oldest first, whatever their state', async () => {
    await enqueue(
      t.store,
      cmd(1, create('servicenow')),
      cmd(2, create('servicenow')),
      cmd(1, create('jira')),
      cmd(1, chatSync('slack')),
    );
    await update(t.store, 1, { state: 'done' });
    await update(t.store, 3, { state: 'parked' });
    const of = async (incidentId: number) =>
      (await t.store.outbox.of(incidentId)).map((c) => [c.id, c.lane, c.kind, c.state]);
    expect(await of(1)).toEqual([
      [1, 'servicenow', 'create', 'done'],
      [3, 'jira', 'create', 'parked'],
      [4, 'slack', 'chat_sync', 'pending'],
    ]);
    expect(await of(2)).toEqual([[2, 'servicenow', 'create', 'pending']]);
    expect(await of(9)).toEqual([]);
  });

  it('reads a row it cannot parse as kind unreadable, with the stored kind and the reason', async () => {
    const plant = (incidentId: number, lane: string, kind: string, payload: string) =>
      t.direct.run(
        `INSERT INTO outbox (incident_id, lane, kind, payload, state, attempts, not_before, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
        incidentId,
        lane,
        kind,
        payload,
        minute(0),
        minute(0),
        minute(0),
      );
    await plant(1, 'servicenow', 'note', 'not json');
    await plant(2, 'servicenow', 'chat_sync', '{}');
    await plant(3, 'slack', 'create', '{}');
    await plant(4, 'jira', 'note', '{}');
    await plant(5, 'pager', 'create', '{}');
    const meta = (id: number) => ({
      id,
      incidentId: id,
      state: 'pending',
      attempts: 0,
      notBefore: minute(0),
      lastError: null,
      createdAt: minute(0),
      updatedAt: minute(0),
      requestId: null,
    });
    const unreadable = (id: number, lane: string, storedKind: string, error: string) => ({
      ...meta(id),
      lane,
      kind: 'unreadable',
      payload: { storedKind, error },
    });
    const expected = [
      unreadable(1, 'servicenow', 'note', 'payload is not JSON'),
      unreadable(2, 'servicenow', 'chat_sync', 'kind "chat_sync" is not a command of the servicenow lane'),
      unreadable(3, 'slack', 'create', 'kind "create" is not a command of the slack lane'),
      unreadable(4, 'jira', 'note', 'payload.since: Invalid input: expected string, received undefined'),
      unreadable(5, 'pager', 'create', 'unknown lane "pager"'),
    ];
    expect((await Promise.all([1, 2, 3, 4, 5].map((i) => t.store.outbox.of(i)))).flat()).toEqual(expected);
    expect(await t.store.unitOfWork((uow) => uow.outbox.get(4))).toEqual(expected[3]);
    // The worker still gets them, so it can park them with the reason.
    expect(await t.store.unitOfWork((uow) => uow.outbox.due('servicenow', minute(0), 10))).toEqual(
      expected.slice(0, 2),
    );
  });

  describe('claims', () => {
    const lease = (owner: string, until: number) => ({ owner, until: minute(until) });
    const claim = (store: Store, now: number, owner: string, until: number, limit = 10) =>
      store.unitOfWork((uow) => uow.outbox.claim('servicenow', minute(now), limit, lease(owner, until)));

    it('claims the due commands first in line, once, and again only after the lease ran out', async () => {
      await enqueue(
        t.store,
        cmd(1, create('servicenow')),
        cmd(1, note('servicenow')),
        cmd(2, create('servicenow')),
      );
      const first = await claim(t.store, 0, 'a', 1);
      expect(first.map((c) => [c.id, c.claim])).toEqual([
        [1, 1],
        [3, 1],
      ]);
      // Held: nobody gets them, nor the command behind 1 of the same incident and lane.
      expect(await claim(t.store, 0, 'b', 1)).toEqual([]);
      expect(await dueIds(t.store, 'servicenow', 0)).toEqual([1, 3]);
      // The lease ran out: another owner takes them over, with the next claim number.
      const taken = await claim(t.store, 1, 'b', 2, 1);
      expect(taken.map((c) => [c.id, c.claim])).toEqual([[1, 2]]);
    });

    it('records an outcome only under the current claim, and releases the claim with it', async () => {
      await enqueue(t.store, cmd(1, create('servicenow')), cmd(1, note('servicenow')));
      const [mine] = await claim(t.store, 0, 'a', 1);
      const [theirs] = await claim(t.store, 1, 'b', 2);
      expect(theirs!.claim).toBe(mine!.claim + 1);
      const done = (c: number) =>
        t.store.unitOfWork((uow) =>
          uow.outbox.updateClaimed(1, c, { state: 'done', attempts: 1, updatedAt: minute(1), release: true }),
        );
      expect(await done(mine!.claim)).toBe(false);
      expect((await t.store.outbox.of(1))[0]).toMatchObject({ state: 'pending', attempts: 0 });
      expect(await done(theirs!.claim)).toBe(true);
      expect((await t.store.outbox.of(1))[0]).toMatchObject({ state: 'done', attempts: 1 });
      // Done: the next one of the incident is first in line and free.
      expect((await claim(t.store, 1, 'a', 3)).map((c) => c.id)).toEqual([2]);
    });

    it('renews only the claims the owner still holds', async () => {
      await enqueue(t.store, cmd(1, create('servicenow')), cmd(2, create('servicenow')));
      await claim(t.store, 0, 'a', 1);
      await claim(t.store, 1, 'b', 2, 1); // b took 1 over
      expect(await t.store.unitOfWork((uow) => uow.outbox.renew([1, 2], lease('a', 5)))).toBe(1);
      // 2 is held by a until 5, 1 by b until 2.
      expect((await claim(t.store, 3, 'c', 6)).map((c) => c.id)).toEqual([1]);
    });

    it('frees every claim of one owner name at once, and nobody else’s', async () => {
      await enqueue(t.store, cmd(1, create('servicenow')), cmd(2, create('servicenow')));
      await claim(t.store, 0, 'a', 5, 1);
      await claim(t.store, 0, 'b', 5, 1);
      expect(await t.store.unitOfWork((uow) => uow.outbox.releaseHeldBy('a'))).toBe(1);
      // Long before a's lease ran out, its command is free again; b's stays held.
      const again = await claim(t.store, 1, 'a', 6);
      expect(again.map((c) => [c.id, c.claim])).toEqual([[1, 2]]);
      expect(await t.store.unitOfWork((uow) => uow.outbox.releaseHeldBy('nobody'))).toBe(0);
    });
  });
});
