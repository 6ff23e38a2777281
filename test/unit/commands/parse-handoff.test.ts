import { parseCommand } from '../../../src/commands/parse-command';

describe('/itsm handoff', () => {
  it.each([
    ['handoff INC0010001', { name: 'handoff', ref: 'INC0010001', to: null }],
    ['handoff INC0010001 to Infra', { name: 'handoff', ref: 'INC0010001', to: 'infra' }],
    [
      'handoff #42 to app | spooler down | restarted it | check the interface',
      {
        name: 'handoff_offer',
        ref: '42',
        to: 'app',
        note: { situation: 'spooler down', actionsTaken: 'restarted it', nextSteps: 'check the interface' },
      },
    ],
    [
      'handoff OPS-12 TO Infra |a|b|c',
      {
        name: 'handoff_offer',
        ref: 'OPS-12',
        to: 'infra',
        note: { situation: 'a', actionsTaken: 'b', nextSteps: 'c' },
      },
    ],
    ['handoff accept 7', { name: 'handoff_decide', id: 7, decision: 'accept' }],
    ['handoff cancel #7', { name: 'handoff_decide', id: 7, decision: 'cancel' }],
    [
      'handoff reject 7 not ours, DB is fine',
      { name: 'handoff_reject', id: 7, reason: 'not ours, DB is fine' },
    ],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['handoff 42 to app | only a situation', /situation, the actions taken and the next steps/],
    ['handoff 42 to app | a | | c', /situation, the actions taken and the next steps/],
    ['handoff reject 7', /needs a reason/],
    ['handoff accept seven', /Which hand-off/],
    ['handoff nonsense!', /not an incident reference/],
    ['handoff 42 towards infra', /Usage: handoff <ref> \[to <provider>\]/],
  ])('%s is refused with a hint', (text, message) => {
    const r = parseCommand(text);
    expect(r.name).toBe('invalid');
    if (r.name === 'invalid') expect(r.message).toMatch(message);
  });
});
