import {
  describeStep,
  dueStep,
  policyFor,
  recipients,
  startEscalation,
  stopEscalation,
  type Escalation,
  type EscalationPolicy,
} from '../../../src/core/escalation/escalation';
import { AppConfig } from '../../../src/config/app-config';
import { escalationPolicies } from '../../../src/config/escalation';

const T0 = '2026-12-02T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const P1: EscalationPolicy = {
  priorities: [1],
  steps: [
    { after: 0, kind: 'mention', targets: ['oncall'] },
    { after: 300, kind: 'dm', targets: ['oncall'] },
    { after: 600, kind: 'dm', targets: ['next-oncall'] },
    { after: 900, kind: 'page', page: 'phone' },
  ],
};
const start = (policy: EscalationPolicy | null = P1): Escalation => ({
  id: 1,
  ...startEscalation({ incidentId: 7, provider: 'infra', priority: 1, trigger: 'opened', at: T0, policy })!,
});

/** Every step index the run executes when the clock is looked at these times (seconds after T0). */
function steps(times: number[], e = start()) {
  const out: number[][] = [];
  for (const t of times) {
    const ran: number[] = [];
    for (let d = dueStep(e, at(t)); d; d = dueStep(e, at(t))) {
      ran.push(d.index);
      e = d.next;
    }
    out.push(ran);
  }
  return { out, e };
}

describe('escalation runs (pure, fixed clock)', () => {
  it.each([
    ['each step at its time', [0, 299, 300, 600, 900, 5000], [[0], [], [1], [2], [3], []]],
    ['several steps due after a pause run in order, once', [0, 1200], [[0], [1, 2, 3]]],
    ['nothing before the first look, everything once after', [899, 900], [[0, 1, 2], [3]]],
  ])('%s', (_name, times, expected) => {
    const { out, e } = steps(times);
    expect(out).toEqual(expected);
    if (times.at(-1)! >= 900) expect(e).toMatchObject({ state: 'finished', nextDueAt: null, nextStep: 4 });
  });

  it('a stopped run runs nothing more and keeps who stopped it', () => {
    const { e } = steps([0]);
    const stopped = stopEscalation(e, 'slack:U1', at(10));
    expect(stopped).toMatchObject({
      state: 'stopped',
      nextDueAt: null,
      stoppedBy: 'slack:U1',
      stoppedAt: at(10),
    });
    expect(dueStep(stopped, at(5000))).toBeNull();
    expect(stopEscalation(stopped, 'api', at(20))).toBe(stopped);
  });

  it('no policy, no run; the first policy naming the priority wins', () => {
    expect(
      startEscalation({ incidentId: 1, provider: 'x', priority: 1, trigger: 'opened', at: T0, policy: null }),
    ).toBeNull();
    const P2 = { priorities: [2, 1], steps: [{ after: 60, kind: 'page' as const, page: 'x' }] };
    expect(policyFor([P1, P2], 1)).toBe(P1);
    expect(policyFor([P1, P2], 2)).toBe(P2);
    expect(policyFor([P1, P2], 4)).toBeNull();
  });

  it('recipients: each person once, unfilled targets named', () => {
    const anna = { name: 'Anna', slackUser: 'U1' };
    expect(
      recipients(['oncall', 'next-oncall', 'lead'], { oncall: anna, 'next-oncall': { ...anna }, lead: null }),
    ).toEqual({
      people: [anna],
      missing: ['lead'],
    });
  });

  it('describes a step for the timeline', () => {
    expect(describeStep(P1.steps[1]!, 1, 4)).toBe('step 2 of 4: direct message to the on-call');
    expect(describeStep(P1.steps[3]!, 3, 4)).toBe('step 4 of 4: page via phone');
  });
});

describe('escalation config', () => {
  const base = { providers: [{ name: 'infra' }], paging: { phone: { kind: 'pagerduty' } } };

  it('reads steps of mention, dm and page with durations', () => {
    const cfg = AppConfig.parse({
      ...base,
      escalation: {
        infra: {
          policies: [
            {
              priorities: [1],
              steps: [
                { after: '5m', dm: ['oncall'] },
                { after: '15m', page: 'phone' },
              ],
            },
          ],
        },
      },
    });
    expect(escalationPolicies(cfg.escalation)).toEqual({
      infra: [
        {
          priorities: [1],
          steps: [
            { after: 300, kind: 'dm', targets: ['oncall'] },
            { after: 900, kind: 'page', page: 'phone' },
          ],
        },
      ],
    });
  });

  it.each([
    [{ unknown: { policies: [] } }, 'escalation.unknown', 'unknown provider'],
    [
      { infra: { policies: [{ priorities: [1], steps: [{ after: '1m', page: 'pager' }] }] } },
      'escalation.infra.policies.0.steps.0.page',
      'unknown paging target "pager"',
    ],
    [
      {
        infra: {
          policies: [
            {
              priorities: [1],
              steps: [
                { after: '10m', dm: ['oncall'] },
                { after: '5m', dm: ['lead'] },
              ],
            },
          ],
        },
      },
      'escalation.infra.policies.0.steps',
      'in order',
    ],
    [
      { infra: { policies: [{ priorities: [1], steps: [{ after: '1m', dm: ['boss'] }] }] } },
      'escalation.infra.policies.0.steps.0',
      '',
    ],
  ])('refuses %j naming %s', (escalation, path, message) => {
    const r = AppConfig.safeParse({ ...base, escalation });
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join('.').startsWith(path));
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(message);
  });
});
