import { parseLaneCommand, TICKET_COMMAND_KINDS } from '../../../src/core/outbox/outbox-command';

describe('outbox commands read back from the store', () => {
  it.each([
    ['servicenow', 'create', '{}'],
    ['jira', 'note', '{"since":"2026-11-02T08:00:00.000Z"}'],
    ['jira', 'resolve', '{}'],
    ['servicenow', 'resolve', '{"notes":"Resolved by Anna"}'],
    ['servicenow', 'ack', '{"email":null,"name":"Anna","note":"Acknowledged"}'],
    ['jira', 'comment', '{"text":"Runbook step 1 done"}'],
    ['jira', 'link', '{}'],
    ['servicenow', 'reopen', '{}'],
    ['slack', 'chat_sync', '{}'],
    ['teams', 'chat_sync', '{}'],
  ])('reads a %s %s command as written', (lane, kind, payload) => {
    expect(parseLaneCommand(lane, kind, payload)).toEqual({ lane, kind, payload: JSON.parse(payload) });
  });

  it.each([
    [
      'a chat command on a ticket lane',
      'servicenow',
      'chat_sync',
      '{}',
      'not a command of the servicenow lane',
    ],
    ['a ticket command on a chat lane', 'slack', 'create', '{}', 'not a command of the slack lane'],
    ['an unknown lane', 'pagerduty', 'create', '{}', 'unknown lane "pagerduty"'],
    ['a payload of the wrong shape', 'jira', 'comment', '{"text":42}', 'payload.text'],
    ['a payload that is not JSON', 'jira', 'note', 'since=', 'not JSON'],
  ])('reads %s as unreadable, naming the problem', (_what, lane, kind, payload, mentions) => {
    const c = parseLaneCommand(lane, kind, payload);
    expect(c).toEqual({
      lane,
      kind: 'unreadable',
      payload: { storedKind: kind, error: expect.stringContaining(mentions) },
    });
  });

  it('knows every ticket command kind', () => {
    expect([...TICKET_COMMAND_KINDS].sort()).toEqual(
      [
        'ack',
        'comment',
        'create',
        'handoff_issue',
        'link',
        'note',
        'reassign',
        'reopen',
        'resolve',
        'sync',
      ].sort(),
    );
  });
});
