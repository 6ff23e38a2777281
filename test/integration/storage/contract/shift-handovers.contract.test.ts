import type { NewShiftHandover } from '../../../../src/core/oncall/shift-handover';
import { BACKENDS, freshStore, minute } from './backends';

const handover = (over: Partial<NewShiftHandover> = {}): NewShiftHandover => ({
  provider: 'infra',
  at: minute(0),
  trigger: 'rotation',
  requestedBy: null,
  outgoing: { name: 'Anna', slackUser: 'U1' },
  incoming: { name: 'Jonas', email: 'jonas@example.com' },
  summary: [
    {
      incidentId: 1,
      ticket: 'INC0010001',
      title: 'branch down',
      priority: 1,
      openedAt: minute(-30),
      slaMinutesLeft: -5,
      lastAction: { at: minute(-1), what: 'note: called the branch' },
      acknowledgedBy: null,
      openSteps: 2,
      handoffs: ['to app (offered)'],
    },
  ],
  state: 'open',
  acknowledgedBy: null,
  acknowledgedAt: null,
  escalateAt: minute(30),
  ...over,
});

describe.each(BACKENDS)('shift handovers contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('stores a handover with its summary and reads it back as written', async () => {
    const stored = await t.store.unitOfWork((uow) => uow.shifts.insert(handover()));
    expect(stored).toEqual({ id: expect.any(Number), ...handover() });
    expect(await t.store.shifts.get(stored.id)).toEqual(stored);
    expect(await t.store.unitOfWork((uow) => uow.shifts.rotationAt('infra', minute(0)))).toEqual(stored);
    expect(await t.store.unitOfWork((uow) => uow.shifts.rotationAt('infra', minute(1)))).toBeNull();
  });

  it('allows one rotation handover per provider and change, any number of manual ones', async () => {
    await t.store.unitOfWork((uow) => uow.shifts.insert(handover()));
    await t.store.unitOfWork((uow) =>
      uow.shifts.insert(handover({ trigger: 'manual', requestedBy: 'slack:U1' })),
    );
    await t.store.unitOfWork((uow) => uow.shifts.insert(handover({ trigger: 'manual' })));
    await t.store.unitOfWork((uow) => uow.shifts.insert(handover({ provider: 'app' })));
    await expect(t.store.unitOfWork((uow) => uow.shifts.insert(handover()))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/UNIQUE|duplicate/i),
    );
    expect((await t.store.shifts.list({ provider: 'infra', limit: 10 })).map((h) => h.trigger)).toEqual([
      'manual',
      'manual',
      'rotation',
    ]);
    expect(await t.store.shifts.list({ limit: 2 })).toHaveLength(2);
  });

  it('finds handovers due for escalation and forgets them once acknowledged', async () => {
    const a = await t.store.unitOfWork((uow) => uow.shifts.insert(handover()));
    const b = await t.store.unitOfWork((uow) =>
      uow.shifts.insert(handover({ provider: 'app', escalateAt: minute(10) })),
    );
    const due = (at: string) =>
      t.store.unitOfWork(async (uow) => (await uow.shifts.due(at, 10)).map((h) => h.id));
    expect(await due(minute(9))).toEqual([]);
    expect(await due(minute(30))).toEqual([b.id, a.id]);
    await t.store.unitOfWork((uow) =>
      uow.shifts.update({
        ...a,
        state: 'acknowledged',
        acknowledgedBy: 'Jonas',
        acknowledgedAt: minute(5),
        escalateAt: null,
      }),
    );
    expect(await due(minute(60))).toEqual([b.id]);
    expect(await t.store.shifts.get(a.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Jonas' });
  });
});
