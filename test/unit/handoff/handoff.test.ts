import {
  decideHandoff,
  HandoffNote,
  nextHandoffTick,
  offerHandoff,
  ownershipIntervals,
  pingPong,
  tickHandoff,
  type Handoff,
  type HandoffState,
} from '../../../src/core/handoff/handoff';

const NOW = '2026-11-02T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const note: HandoffNote = {
  situation: 'Invoicing print spooler in muc-01 stopped',
  actionsTaken: 'Runbook steps 1-2 done: queue cleared, spooler restarted',
  nextSteps: 'Check the DMS print interface on the app side',
};

const offer = (priority = 1, existing: Pick<Handoff, 'id' | 'to' | 'state'>[] = []) =>
  offerHandoff({
    incident: { id: 42, owner: 'infra', priority },
    to: 'app',
    providers: ['infra', 'app'],
    note,
    by: 'slack:U0ANNA0001',
    at: NOW,
    existing,
  });

const offered = (priority = 1): Handoff => {
  const s = offer(priority);
  if (!s.ok) throw new Error(s.message);
  return { id: 7, ...s.handoff };
};

describe('offering a hand-off', () => {
  it.each([
    [1, at(5)],
    [2, at(15)],
    [3, at(60)],
    [4, at(60)],
    [5, at(60)],
  ])('a P%i hand-off must be accepted by %s', (priority, deadline) => {
    const s = offer(priority);
    expect(s).toMatchObject({
      ok: true,
      handoff: { state: 'offered', from: 'infra', to: 'app', deadline, reminded: false },
      effects: [{ kind: 'announce' }],
    });
  });

  it.each([
    ['to the provider that owns it', { to: 'infra' }, 'same_owner'],
    ['to an unknown provider', { to: 'nobody' }, 'unknown_provider'],
  ])('is refused %s', (_what, over, code) => {
    const s = offerHandoff({
      incident: { id: 42, owner: 'infra', priority: 2 },
      providers: ['infra', 'app'],
      note,
      by: 'api',
      at: NOW,
      existing: [],
      ...over,
    });
    expect(s).toMatchObject({ ok: false, code });
  });

  it.each<[HandoffState, boolean]>([
    ['offered', false],
    ['expired', false],
    ['escalated', false],
    ['accepted', true],
    ['rejected', true],
    ['cancelled', true],
  ])('with an earlier hand-off %s: allowed %s (at most one open per incident)', (state, allowed) => {
    const s = offer(2, [{ id: 3, to: 'app', state }]);
    expect(s.ok).toBe(allowed);
    if (!s.ok) expect(s).toMatchObject({ code: 'already_open', message: expect.stringContaining('3') });
  });

  it.each([
    ['a missing next step', { situation: 'x', actionsTaken: 'y' }, 'nextSteps'],
    ['a blank situation', { ...note, situation: '   ' }, 'situation'],
    ['an unknown field', { ...note, mood: 'tired' }, ''],
    ['a checkpoint that is no time', { ...note, nextCheckpoint: 'soon' }, 'nextCheckpoint'],
  ])('needs a complete note: %s is refused naming the field', (_what, value, field) => {
    const r = HandoffNote.safeParse(value);
    expect(r.success).toBe(false);
    if (!r.success && field) expect(r.error.issues[0]!.path).toEqual([field]);
  });
});

describe('deciding a hand-off', () => {
  it('accepting moves ownership and tells the offering side', () => {
    const s = decideHandoff(offered(), { kind: 'accept' }, 'slack:U0JONAS001', at(3));
    expect(s).toMatchObject({
      ok: true,
      handoff: { state: 'accepted', decidedBy: 'slack:U0JONAS001', decidedAt: at(3) },
      effects: [{ kind: 'transfer_ownership', from: 'infra', to: 'app' }, { kind: 'tell_offering_side' }],
    });
  });

  it('a second accept is refused and names who accepted first', () => {
    const first = decideHandoff(offered(), { kind: 'accept' }, 'slack:U0JONAS001', at(3));
    if (!first.ok) throw new Error(first.message);
    const second = decideHandoff(first.handoff, { kind: 'accept' }, 'teams:aad-2', at(3));
    expect(second).toMatchObject({
      ok: false,
      code: 'not_open',
      message: `hand-off 7 was already accepted by slack:U0JONAS001 at ${at(3)}`,
    });
  });

  it('rejecting needs a reason', () => {
    expect(decideHandoff(offered(), { kind: 'reject', reason: ' ' }, 'api', at(1))).toMatchObject({
      ok: false,
      code: 'reason_required',
    });
    expect(decideHandoff(offered(), { kind: 'reject', reason: 'not ours' }, 'api', at(1))).toMatchObject({
      ok: true,
      handoff: { state: 'rejected', reason: 'not ours' },
      effects: [{ kind: 'tell_offering_side' }],
    });
  });

  it('cancelling closes it without moving ownership', () => {
    expect(decideHandoff(offered(), { kind: 'cancel' }, 'api', at(1))).toMatchObject({
      ok: true,
      handoff: { state: 'cancelled' },
      effects: [],
    });
  });

  it.each<HandoffState>(['expired', 'escalated'])('an %s hand-off can still be accepted', (state) => {
    const s = decideHandoff({ ...offered(), state }, { kind: 'accept' }, 'api', at(30));
    expect(s).toMatchObject({ ok: true, handoff: { state: 'accepted' } });
  });
});

describe('time passing on a P1 hand-off (deadline 5 min)', () => {
  it.each([
    [2, null],
    [2.5, { state: 'offered', reminded: true, effects: ['remind'], passed: [] }],
    [5, { state: 'escalated', reminded: true, effects: ['escalate'], passed: ['expired', 'escalated'] }],
    [90, { state: 'escalated', reminded: true, effects: ['escalate'], passed: ['expired', 'escalated'] }],
  ])('at +%s min: %j', (minutes, expected) => {
    const t = tickHandoff(offered(), at(minutes));
    if (expected === null) return expect(t).toBeNull();
    expect(t).toMatchObject({
      handoff: { state: expected.state, reminded: expected.reminded },
      effects: expected.effects.map((kind) => ({ kind })),
      passed: expected.passed,
    });
  });

  it('reminds once, then escalates once, then waits for a person', () => {
    const reminded = tickHandoff(offered(), at(3))!.handoff;
    expect(tickHandoff(reminded, at(4))).toBeNull();
    expect(nextHandoffTick(reminded)).toBe(at(5));
    const escalated = tickHandoff(reminded, at(5))!.handoff;
    expect(tickHandoff(escalated, at(60))).toBeNull();
    expect(nextHandoffTick(escalated)).toBeNull();
  });

  it('the first tick is due at half the deadline', () => {
    expect(nextHandoffTick(offered())).toBe(at(2.5));
  });
});

describe('ping-pong between providers', () => {
  const owners = (...p: string[]) => p.map((provider) => ({ provider }));
  it.each([
    [owners('infra'), null],
    [owners('infra', 'app'), null],
    [owners('infra', 'app', 'infra'), null],
    [owners('infra', 'app', 'infra', 'app'), { kind: 'ping_pong', changes: 3 }],
    [owners('infra', 'infra', 'app', 'app', 'infra'), null],
  ])('%j → %j', (ownership, expected) => {
    expect(pingPong(ownership)).toEqual(expected);
  });

  it('the limit is configurable', () => {
    expect(pingPong(owners('infra', 'app', 'infra'), 2)).toEqual({ kind: 'ping_pong', changes: 2 });
  });
});

describe('ownership over time', () => {
  const inc = { provider: 'infra', openedAt: at(0), resolvedAt: null };
  it('is the routed provider until a hand-off is accepted', () => {
    expect(
      ownershipIntervals(inc, [{ from: 'infra', to: 'app', state: 'rejected', decidedAt: at(3) }]),
    ).toEqual([{ provider: 'infra', from: at(0), to: null }]);
  });
  it('moves at each accept, and the last interval ends at the resolution', () => {
    const handoffs = [
      { from: 'app', to: 'infra', state: 'accepted' as const, decidedAt: at(40) },
      { from: 'infra', to: 'app', state: 'accepted' as const, decidedAt: at(10) },
    ];
    expect(ownershipIntervals({ provider: 'infra', openedAt: at(0), resolvedAt: at(90) }, handoffs)).toEqual([
      { provider: 'infra', from: at(0), to: at(10) },
      { provider: 'app', from: at(10), to: at(40) },
      { provider: 'infra', from: at(40), to: at(90) },
    ]);
  });
});
