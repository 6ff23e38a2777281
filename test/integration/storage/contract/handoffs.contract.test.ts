import type { Handoff } from '../../../../src/core/handoff/handoff';
import type { NewHandoff } from '../../../../src/ports/store';
import { BACKENDS, freshStore, incident, insertIncidents, minute } from './backends';

const offer = (incidentId: number, over: Partial<NewHandoff> = {}): NewHandoff => ({
  incidentId,
  from: 'infra',
  to: 'app',
  state: 'offered',
  note: { situation: 's', actionsTaken: 'a', nextSteps: 'n', impact: { branches: ['muc-01'], users: 600 } },
  offeredAt: minute(0),
  offeredBy: 'api',
  deadline: minute(5),
  reminded: false,
  decidedAt: null,
  decidedBy: null,
  reason: null,
  ...over,
});

describe.each(BACKENDS)('hand-offs contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('stores an offer and reads it back as written, in the unit of work and outside', async () => {
    const [inc] = await insertIncidents(t.store, incident('g1'));
    const stored = await t.store.unitOfWork((uow) => uow.handoffs.insert(offer(inc!.id)));
    expect(stored).toEqual({ id: expect.any(Number), ...offer(inc!.id) });
    expect(await t.store.handoffs.get(stored.id)).toEqual(stored);
    expect(await t.store.unitOfWork((uow) => uow.handoffs.get(stored.id))).toEqual(stored);
    expect(await t.store.handoffs.get(stored.id + 1)).toBeNull();
  });

  it('allows one open hand-off per incident (offered, expired or escalated), any number of closed ones', async () => {
    const [inc] = await insertIncidents(t.store, incident('g1'));
    await t.store.unitOfWork((uow) =>
      uow.handoffs.insert(offer(inc!.id, { state: 'rejected', reason: 'no' })),
    );
    await t.store.unitOfWork((uow) => uow.handoffs.insert(offer(inc!.id, { state: 'expired' })));
    await expect(t.store.unitOfWork((uow) => uow.handoffs.insert(offer(inc!.id)))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/unique/i),
    );
  });

  it('updates the decision and lists by state and incident, newest first', async () => {
    const [a, b] = await insertIncidents(t.store, incident('g1'), incident('g2'));
    const first = await t.store.unitOfWork((uow) => uow.handoffs.insert(offer(a!.id)));
    const accepted: Handoff = { ...first, state: 'accepted', decidedAt: minute(2), decidedBy: 'slack:U1' };
    await t.store.unitOfWork((uow) => uow.handoffs.update(accepted));
    const second = await t.store.unitOfWork((uow) =>
      uow.handoffs.insert(offer(a!.id, { to: 'infra', from: 'app' })),
    );
    const other = await t.store.unitOfWork((uow) =>
      uow.handoffs.insert(offer(b!.id, { state: 'escalated' })),
    );

    expect(await t.store.handoffs.get(first.id)).toEqual(accepted);
    expect((await t.store.handoffs.list({ state: 'open', limit: 10 })).map((h) => h.id)).toEqual([
      other.id,
      second.id,
    ]);
    expect((await t.store.handoffs.list({ state: 'accepted', limit: 10 })).map((h) => h.id)).toEqual([
      first.id,
    ]);
    expect((await t.store.handoffs.list({ incidentId: a!.id, limit: 1 })).map((h) => h.id)).toEqual([
      second.id,
    ]);
    expect((await t.store.unitOfWork((uow) => uow.handoffs.ofIncident(a!.id))).map((h) => h.id)).toEqual([
      first.id,
      second.id,
    ]);
  });

  it('hands the deadline timer its due hand-offs: first at half the deadline, then at it, never once closed', async () => {
    const [a, b] = await insertIncidents(t.store, incident('g1'), incident('g2'));
    const first = await t.store.unitOfWork((uow) => uow.handoffs.insert(offer(a!.id)));
    await t.store.unitOfWork((uow) =>
      uow.handoffs.insert(offer(b!.id, { state: 'accepted', decidedAt: minute(1), decidedBy: 'api' })),
    );
    const due = (at: number) => t.store.unitOfWork((uow) => uow.handoffs.due(minute(at), 10));
    expect(await due(2)).toEqual([]);
    expect((await due(2.5)).map((h) => h.id)).toEqual([first.id]);
    await t.store.unitOfWork((uow) => uow.handoffs.update({ ...first, reminded: true }));
    expect(await due(4)).toEqual([]);
    expect((await due(5)).map((h) => h.id)).toEqual([first.id]);
    await t.store.unitOfWork((uow) => uow.handoffs.update({ ...first, reminded: true, state: 'escalated' }));
    expect(await due(600)).toEqual([]);
  });
});
