import { alert, BACKENDS, freshStore, minute } from './backends';

describe.each(BACKENDS)('inbox contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('accepts concurrent deliveries and hands them to correlation in order', async () => {
    const { store } = t;
    const [a, b] = await Promise.all([
      store.inbox.accept([alert('k1'), alert('k2')]),
      store.inbox.accept([alert('k3')]),
    ]);
    expect([...a!, ...b!]).toHaveLength(3);
    const pending = await store.unitOfWork((uow) => uow.inbox.pending(10));
    expect(pending.map((p) => p.dedupKey)).toEqual(['k1', 'k2', 'k3']);
    expect(pending[0]!.labels).toEqual({ a: 'b' });
    expect((await store.inbox.lag()).pending).toBe(3);
  });

  it('stores the request id a delivery came with, alongside deliveries without one', async () => {
    await Promise.all([
      t.store.inbox.accept([alert('k1'), alert('k2')], { requestId: 'req-1' }),
      t.store.inbox.accept([alert('k3')]),
    ]);
    const pending = await t.store.unitOfWork((uow) => uow.inbox.pending(10));
    // The two deliveries are concurrent: on PostgreSQL their ids may interleave, each in its own order.
    expect(new Map(pending.map((p) => [p.dedupKey, p.requestId]))).toEqual(
      new Map([
        ['k1', 'req-1'],
        ['k2', 'req-1'],
        ['k3', null],
      ]),
    );
    const keys = pending.map((p) => p.dedupKey);
    expect(keys.indexOf('k1')).toBeLessThan(keys.indexOf('k2'));
  });

  it('returns the ids of the accepted alerts in order, and none for an empty delivery', async () => {
    const ids = await t.store.inbox.accept([alert('k1'), alert('k2')]);
    expect(ids).toEqual([1, 2]);
    expect(await t.store.inbox.accept([])).toEqual([]);
    expect(await t.store.inbox.accept([alert('k3')])).toEqual([3]);
  });

  it('accepts one delivery of 10,000 alerts (beyond 65,535 bind parameters as one row each)', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `k${i}`);
    const ids = await t.store.inbox.accept(keys.map((k) => ({ ...alert(k), labels: { a: 'b', n: k } })));
    expect(ids).toHaveLength(10_000);
    expect(ids[0]).toBe(1);
    expect(ids[9_999]).toBe(10_000);
    expect((await t.store.inbox.lag()).pending).toBe(10_000);
    const pending = await t.store.unitOfWork((uow) => uow.inbox.pending(10_000));
    expect(pending.map((p) => p.dedupKey)).toEqual(keys);
    expect(pending[9_999]!.labels).toEqual({ a: 'b', n: 'k9999' });
  });

  it('stores every field of an alert and hands it out unprocessed', async () => {
    const a = {
      ...alert('alertmanager:abc'),
      source: 'alertmanager' as const,
      event: 'downtime-start' as const,
      host: null,
      description: 'disk 95% full',
      annotations: { runbook: 'https://wiki/disk' },
      links: { generator: 'https://prom/graph' },
      startsAt: minute(-5),
      endsAt: minute(5),
    };
    const [id] = await t.store.inbox.accept([a]);
    expect(await t.store.unitOfWork((uow) => uow.inbox.pending(10))).toEqual([
      { ...a, id, processedAt: null, incidentId: null, decision: null, requestId: null },
    ]);
  });

  it('tells how many alerts wait and when the oldest of them arrived', async () => {
    expect(await t.store.inbox.lag()).toEqual({ pending: 0, oldestReceivedAt: null });
    const received = (dedupKey: string, n: number) => ({ ...alert(dedupKey), receivedAt: minute(n) });
    const [first] = await t.store.inbox.accept([received('k1', 2), received('k2', 5), received('k3', 7)]);
    expect(await t.store.inbox.lag()).toEqual({ pending: 3, oldestReceivedAt: minute(2) });
    await t.store.unitOfWork((uow) => uow.inbox.markProcessed(first!, minute(8), null, 'ignored'));
    expect(await t.store.inbox.lag()).toEqual({ pending: 2, oldestReceivedAt: minute(5) });
  });

  it('hands out pending alerts in arrival order up to the limit, and no processed ones', async () => {
    const ids = await t.store.inbox.accept(['k1', 'k2', 'k3', 'k4'].map(alert));
    const firstTwo = await t.store.unitOfWork((uow) => uow.inbox.pending(2));
    expect(firstTwo.map((a) => a.id)).toEqual(ids.slice(0, 2));
    await t.store.unitOfWork(async (uow) => {
      await uow.inbox.markProcessed(ids[0]!, minute(1), 42, 'opened');
      await uow.inbox.markProcessed(ids[2]!, minute(1), 42, 'joined');
    });
    const rest = await t.store.unitOfWork((uow) => uow.inbox.pending(10));
    expect(rest.map((a) => a.dedupKey)).toEqual(['k2', 'k4']);
    const processed = await t.store.incidents.alerts(42, 10);
    expect(processed.map((a) => [a.dedupKey, a.processedAt, a.incidentId, a.decision])).toEqual([
      ['k3', minute(1), 42, 'joined'],
      ['k1', minute(1), 42, 'opened'],
    ]);
  });

  it('rolls a failed unit of work back completely, audit chain included', async () => {
    const { store } = t;
    await store.inbox.accept([alert('k9')]);
    await expect(
      store.unitOfWork(async (uow) => {
        const [a] = await uow.inbox.pending(1);
        await uow.inbox.markProcessed(a!.id, 'now', null, 'x');
        await uow.audit.append({ at: 'now', actor: 't', action: 'a', subject: 's', data: {} });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.inbox.lag()).pending).toBe(1);
    const entries = [];
    for await (const e of store.audit.entries()) entries.push(e);
    expect(entries).toHaveLength(0);
  });

  it('keeps a delivery accepted while a unit of work runs, even when that unit fails', async () => {
    const [first] = await t.store.inbox.accept([alert('k1')]);
    const failing = t.store.unitOfWork(async (uow) => {
      await uow.inbox.markProcessed(first!, minute(1), null, 'x');
      // Let the delivery below reach the store while this transaction is still open.
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('boom');
    });
    const delivered = t.store.inbox.accept([alert('k2')]);
    await expect(failing).rejects.toThrow('boom');
    expect(await delivered).toEqual([2]);
    const pending = await t.store.unitOfWork((uow) => uow.inbox.pending(10));
    expect(pending.map((a) => a.dedupKey)).toEqual(['k1', 'k2']);
  });
});
