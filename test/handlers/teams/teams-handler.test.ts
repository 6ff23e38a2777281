import { createTeamsAdapter } from '../../../integrations/teams/teams-adapter';
import { CHAT_ACTIONS, HANDOFF_ACTIONS, SHIFT_ACK_ACTION } from '../../../src/ports/chat';
import { chatIncident } from '../../unit/teams/chat-incident';
import { CHANNEL, executeActivity, messageActivity, startTeams } from './teams-harness';

const ADA = {
  platform: 'teams',
  userId: '6c1f1a6e-0000-4000-8000-00000000ada0',
  name: 'Ada Lovelace',
  email: null,
};

describe('POST /teams/messages (sandbox mode: no app id, anonymous)', () => {
  let t: Awaited<ReturnType<typeof startTeams>>;
  beforeEach(async () => {
    t = await startTeams((logger, serviceUrls) =>
      createTeamsAdapter({
        auth: { clientId: null, clientSecret: null, tenantId: null },
        logger,
        serviceUrls,
      }),
    );
  });
  afterEach(() => t.close());

  it('warns once, at start-up, that it accepts unauthenticated activities', async () => {
    await t.post(messageActivity(t.serviceUrl));
    await t.post(messageActivity(t.serviceUrl));
    expect(t.logs.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'teams: no Microsoft App ID configured; accepting unauthenticated activities (sandbox mode)',
    ]);
  });

  it('runs a typed command without the @mention and replies with the result card in the thread', async () => {
    t.commands.answer = { kind: 'incident', text: 'Acknowledged.', incident: chatIncident() };
    const res = await t.post(messageActivity(t.serviceUrl));
    expect(res.status).toBe(200);
    expect(t.commands.runs).toEqual([{ actor: ADA, text: 'ack INC0010001' }]);
    const thread = `${CHANNEL};messageid=1709540100000`;
    const [reply] = t.emulator.activities(thread);
    // In the thread of the root post the message belongs to (the conversation id's messageid).
    expect(reply).toMatchObject({ conversationId: thread, replyToId: '1709540100000', authorization: null });
    expect(reply!.activity).toMatchObject({
      type: 'message',
      from: { id: '28:itsm-bridge-app' },
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
      ],
    });
    expect(JSON.stringify(reply!.activity)).toContain('Acknowledged.');
  });

  it('asks for help when the message is only the mention', async () => {
    await t.post(messageActivity(t.serviceUrl, { text: '<at>ITSM Bridge</at>' }));
    expect(t.commands.runs.map((r) => r.text)).toEqual(['help']);
  });

  it('answers an Action.Execute with the refreshed card in the invoke response, posting nothing', async () => {
    t.commands.answer = {
      kind: 'incident',
      text: '',
      incident: chatIncident({ acknowledged: { by: 'Ada Lovelace', at: '2025-03-04T08:16:00Z' } }),
    };
    const res = await t.post(executeActivity(t.serviceUrl, { verb: CHAT_ACTIONS.ack, incidentId: 42 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as any;
    expect(body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
      value: { type: 'AdaptiveCard', version: '1.5' },
    });
    expect(JSON.stringify(body.value)).toContain('Acknowledged by Ada Lovelace');
    expect(t.commands.acts).toEqual([{ actor: ADA, action: { verb: 'ack', incidentId: 42 } }]);
    expect(t.emulator.state.callLog).toEqual([]);
  });

  it.each([
    [
      { verb: CHAT_ACTIONS.resolve, incidentId: 42, note: '  swapped the modem ' },
      { verb: 'resolve', incidentId: 42, note: 'swapped the modem' },
    ],
    [
      { verb: CHAT_ACTIONS.resolve, incidentId: 42, note: '' },
      { verb: 'resolve', incidentId: 42, note: null },
    ],
    [
      { verb: CHAT_ACTIONS.handoff, incidentId: 42 },
      { verb: 'handoff', incidentId: 42 },
    ],
    [
      { verb: CHAT_ACTIONS.step, incidentId: 42, step: 1 },
      { verb: 'step', incidentId: 42, step: 1 },
    ],
  ])('maps card data %j to the action %j', async (data, action) => {
    await t.post(executeActivity(t.serviceUrl, data));
    expect(t.commands.acts.map((a) => a.action)).toEqual([action]);
  });

  it('answers a refused card action with a message, leaving the card as it is', async () => {
    t.commands.answer = { kind: 'text', ok: false, text: 'INC0010001 is already acknowledged by Bob' };
    const res = await t.post(executeActivity(t.serviceUrl, { verb: CHAT_ACTIONS.ack, incidentId: 42 }));
    expect(await res.json()).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'INC0010001 is already acknowledged by Bob',
    });
  });

  it('treats an Action.Submit (message with value) as a card action', async () => {
    await t.post(
      messageActivity(t.serviceUrl, { text: undefined, value: { verb: CHAT_ACTIONS.ack, incidentId: '42' } }),
    );
    expect(t.commands.acts.map((a) => a.action)).toEqual([{ verb: 'ack', incidentId: 42 }]);
    expect(t.commands.runs).toEqual([]);
  });

  it('saves the conversation reference when the app is added to a team, for proactive cards', async () => {
    const res = await t.post(
      messageActivity(t.serviceUrl, {
        type: 'conversationUpdate',
        text: undefined,
        conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
        membersAdded: [{ id: '28:itsm-bridge-app' }],
        channelData: {
          eventType: 'teamMemberAdded',
          team: { id: '19:team@thread.tacv2' },
          tenant: { id: 'tenant-1' },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(await t.references.get(CHANNEL)).toMatchObject({
      channelId: 'msteams',
      serviceUrl: t.serviceUrl,
      conversation: { id: CHANNEL },
      agent: { id: '28:itsm-bridge-app' },
      activityId: undefined,
    });
    expect(t.commands.runs).toEqual([]);
  });

  it.each([
    ['another host', 'https://attacker.example/'],
    ['this host outside the emulator', (u: string) => u.replace('/sandbox/teams/', '/elsewhere/')],
    ['a path that climbs out of the emulator', (u: string) => `${u}../../elsewhere/`],
  ])(
    'refuses a conversationUpdate naming %s as serviceUrl: 400, no reference saved (issue 12, finding 2)',
    async (_name, serviceUrl) => {
      const url = typeof serviceUrl === 'string' ? serviceUrl : serviceUrl(t.serviceUrl);
      const res = await t.post(
        messageActivity(url, {
          type: 'conversationUpdate',
          text: undefined,
          conversation: { id: CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
          membersAdded: [{ id: '28:itsm-bridge-app' }],
          channelData: { eventType: 'teamMemberAdded', team: { id: '19:team@thread.tacv2' } },
        }),
      );
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_service_url',
        issues: [{ path: 'serviceUrl' }],
      });
      expect(t.saved).toEqual([]);
      expect(await t.references.get(CHANNEL)).toBeNull();
    },
  );

  it('refuses a command whose serviceUrl is elsewhere: nothing runs, nothing is sent', async () => {
    const res = await t.post(messageActivity('http://127.0.0.1:9/'));
    expect(res.status).toBe(400);
    expect(t.commands.runs).toEqual([]);
    expect(t.emulator.state.callLog).toEqual([]);
  });

  it('saves a reference for a new channel, and for a personal install (installationUpdate)', async () => {
    await t.post(
      messageActivity(t.serviceUrl, {
        type: 'conversationUpdate',
        text: undefined,
        conversation: { id: CHANNEL, conversationType: 'channel' },
        channelData: { eventType: 'channelCreated', channel: { id: '19:new@thread.tacv2', name: 'ops-2' } },
      }),
    );
    await t.post(
      messageActivity(t.serviceUrl, {
        type: 'installationUpdate',
        action: 'add',
        text: undefined,
        conversation: { id: 'a:1personal', conversationType: 'personal' },
        channelData: {},
      }),
    );
    expect(t.saved.map((r) => r.conversation.id)).toEqual([CHANNEL, '19:new@thread.tacv2', 'a:1personal']);
  });

  it('replies with an apology when the command layer fails, and logs it', async () => {
    t.commands.answer = new Error('store unavailable');
    const res = await t.post(messageActivity(t.serviceUrl));
    expect(res.status).toBe(200);
    const [reply] = t.emulator.activities(`${CHANNEL};messageid=1709540100000`);
    expect(JSON.stringify(reply!.activity)).toContain('That did not work');
    expect(t.logs).toContainEqual(expect.objectContaining({ level: 'error', msg: 'teams: command failed' }));
  });

  it('answers a failed card action with an error invoke response (500)', async () => {
    t.commands.answer = new Error('store unavailable');
    const res = await t.post(executeActivity(t.serviceUrl, { verb: CHAT_ACTIONS.ack, incidentId: 42 }));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ statusCode: 500, type: 'application/vnd.microsoft.error' });
  });

  it('runs the shift handover Acknowledge as `shift ack <id>`', async () => {
    const res = await t.post(executeActivity(t.serviceUrl, { verb: SHIFT_ACK_ACTION, handoverId: 7 }));
    expect(res.status).toBe(200);
    expect(t.commands.runs.map((r) => r.text)).toEqual(['shift ack 7']);
  });

  it('hands Accept / Reject and the hand-off form to the hand-off commands', async () => {
    await t.post(executeActivity(t.serviceUrl, { verb: HANDOFF_ACTIONS.accept, handoffId: 3 }));
    await t.post(
      executeActivity(t.serviceUrl, { verb: HANDOFF_ACTIONS.reject, handoffId: 3, reason: 'not ours' }),
    );
    await t.post(
      executeActivity(t.serviceUrl, {
        verb: CHAT_ACTIONS.handoff,
        submit: true,
        incidentId: 42,
        to: 'infra',
        situation: 'a',
        actionsTaken: 'b',
        nextSteps: 'c',
        users: 12,
      }),
    );
    expect(t.commands.decisions.map((d) => [d.handoffId, d.decision])).toEqual([
      [3, { kind: 'accept' }],
      [3, { kind: 'reject', reason: 'not ours' }],
    ]);
    expect(t.commands.offers).toEqual([
      expect.objectContaining({
        incidentId: 42,
        to: 'infra',
        note: { situation: 'a', actionsTaken: 'b', nextSteps: 'c', impact: { users: 12 } },
      }),
    ]);
    expect(t.commands.acts).toEqual([]);
  });

  describe('refuses bad input, naming the field', () => {
    it('400 for a hand-off decision without a valid hand-off id', async () => {
      const res = await t.post(
        executeActivity(t.serviceUrl, { verb: HANDOFF_ACTIONS.accept, handoffId: 'x' }),
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).issues.map((i: { path: string }) => i.path)).toEqual([
        'value.action.data.handoffId',
      ]);
      expect(t.commands.decisions).toEqual([]);
    });

    it.each([
      ['conversation.id', (a: Record<string, unknown>) => ({ ...a, conversation: {} })],
      ['from', (a: Record<string, unknown>) => ({ ...a, from: undefined })],
      ['serviceUrl', (a: Record<string, unknown>) => ({ ...a, serviceUrl: 'ftp://x' })],
      ['text', (a: Record<string, unknown>) => ({ ...a, text: undefined })],
      ['type', (a: Record<string, unknown>) => ({ ...a, type: '' })],
    ])('400 for a bad %s', async (path, edit) => {
      const res = await t.post(edit(messageActivity(t.serviceUrl)));
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body.error).toBe('invalid_payload');
      expect(body.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(t.commands.runs).toEqual([]);
    });

    it('400 for card data without a valid incident id', async () => {
      const res = await t.post(executeActivity(t.serviceUrl, { verb: CHAT_ACTIONS.ack, incidentId: 'abc' }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body.issues.map((i: { path: string }) => i.path)).toEqual(['value.action.data.incidentId']);
      expect(t.commands.acts).toEqual([]);
    });

    it('400 for a runbook step button without the step', async () => {
      const res = await t.post(executeActivity(t.serviceUrl, { verb: CHAT_ACTIONS.step, incidentId: 42 }));
      expect(((await res.json()) as any).issues).toEqual([
        { path: 'value.action.data.step', message: expect.any(String) },
      ]);
    });

    it('400 for a body that is not JSON, or is unsafe JSON', async () => {
      const bad = await t.post('{"type":');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).error).toBe('invalid_json');
      const unsafe = await t.post('{"type":"message","__proto__":{"x":1}}');
      expect(unsafe.status).toBe(400);
      expect(((await unsafe.json()) as any).error).toBe('unsafe_json');
    });

    it('413 over the body limit', async () => {
      const res = await t.post(messageActivity(t.serviceUrl, { text: 'x'.repeat(70 * 1024) }));
      expect(res.status).toBe(413);
    });

    it('405 for GET, and leaves other paths to other mounts', async () => {
      const get = await fetch(t.url);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      const other = await fetch(`${t.base}/teams/other`, { method: 'POST', body: '{}' });
      expect(other.status).toBe(404);
    });
  });
});
