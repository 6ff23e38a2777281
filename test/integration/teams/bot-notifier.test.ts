import type { ConversationReference } from '@microsoft/agents-activity';
import type { AuthProvider } from '@microsoft/agents-hosting';
import { useTokenProvider } from '../../handlers/teams/teams-harness';
import { Secret } from '../../../src/config/secret';
import { IntegrationError } from '../../../src/errors';
import { CHAT_ACTIONS } from '../../../src/ports/chat';
import type { Logger } from '../../../src/ports/logger';
import { createBotNotifier } from '../../../integrations/teams/bot-notifier';
import { memoryConversationReferences } from '../../../integrations/teams/conversation-references';
import {
  createTeamsEmulator,
  retryAfterViolations,
  type TeamsEmulator,
} from '../../../integrations/sandbox/teams/emulator';
import {
  createTeamsAdapter,
  microsoftServiceUrls,
  sandboxServiceUrls,
} from '../../../integrations/teams/teams-adapter';
import { systemClock } from '../../../integrations/clock/system-clock';
import { chatIncident } from '../../unit/teams/chat-incident';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const CHANNEL = '19:ops-channel@thread.tacv2';

function reference(serviceUrl: string, conversationId = CHANNEL): ConversationReference {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    agent: { id: '28:itsm-bridge', name: 'ITSM Bridge' },
    user: { id: '29:ada', name: 'Ada' },
    activityId: '1699999999999',
  };
}

describe('Teams bot notifier (Agents SDK CloudAdapter) against the connector emulator', () => {
  let emulator: TeamsEmulator;
  let server: { url: string; close(): Promise<void> };
  let references: ReturnType<typeof memoryConversationReferences>;

  async function start(opts: { tokens?: string[] } = {}) {
    emulator = createTeamsEmulator({ prefix: '/sandbox/teams', ...opts });
    server = await emulator.listen();
    references = memoryConversationReferences();
    await references.save(reference(`${server.url}/`));
  }
  const anonymous = () =>
    createBotNotifier({
      adapter: createTeamsAdapter({
        auth: { clientId: null, clientSecret: null, tenantId: null },
        logger: silent,
        serviceUrls: sandboxServiceUrls([server.url], '/sandbox/teams'),
      }),
      references,
      clock: systemClock,
    });
  afterEach(() => server.close());

  it('posts a new interactive card proactively into the stored conversation, anonymously in the sandbox', async () => {
    await start();
    const ref = await anonymous().post(CHANNEL, chatIncident());
    expect(ref).toEqual({ channel: CHANNEL, ts: expect.stringMatching(/^\d+$/) });
    const [posted, ...rest] = emulator.activities(CHANNEL);
    expect(rest).toEqual([]);
    expect(posted).toMatchObject({ id: ref.ts, replyToId: null, authorization: null });
    expect(posted!.activity).toMatchObject({
      type: 'message',
      summary: 'P2 Branch Köln offline — Open',
      from: { id: '28:itsm-bridge' },
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { version: '1.5' } }],
    });
    expect(JSON.stringify(posted!.activity)).toContain(CHAT_ACTIONS.ack);
    expect(emulator.state.callLog.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /v3/conversations/${CHANNEL}/activities`,
    ]);
  });

  it('redraws the card in place with updateActivity', async () => {
    await start();
    const notifier = anonymous();
    const ref = await notifier.post(CHANNEL, chatIncident());
    await notifier.update(ref, chatIncident({ acknowledged: { by: 'Ada', at: '2025-03-04T08:16:00Z' } }));
    const [card] = emulator.activities(CHANNEL);
    expect(emulator.activities(CHANNEL)).toHaveLength(1);
    expect(card!.history).toHaveLength(1);
    expect(JSON.stringify(card!.activity)).toContain('Acknowledged by Ada');
    expect(emulator.state.callLog.at(-1)).toMatchObject({ method: 'PUT', status: 200 });
  });

  it("threads a plain-text reply under the card through the conversation id '<channel>;messageid=<card>'", async () => {
    await start();
    const notifier = anonymous();
    const ref = await notifier.post(CHANNEL, chatIncident());
    await notifier.reply(ref, 'Ada acknowledged INC0010001');
    const thread = `${CHANNEL};messageid=${ref.ts}`;
    expect(emulator.activities(thread).map((a) => a.id)).toEqual([ref.ts, expect.any(String)]);
    const [, reply] = emulator.activities(thread);
    expect(reply).toMatchObject({
      conversationId: thread,
      replyToId: ref.ts,
      activity: { type: 'message', text: 'Ada acknowledged INC0010001', conversation: { id: thread } },
    });
    expect(emulator.state.callLog.at(-1)?.path).toBe(`/v3/conversations/${thread}/activities`);
  });

  it('posts a reply into a personal chat as a plain message (chats have no threads)', async () => {
    await start();
    await references.save({
      ...reference(`${server.url}/`, 'a:1personal'),
      conversation: { id: 'a:1personal', conversationType: 'personal' },
    });
    const notifier = anonymous();
    const ref = await notifier.post('a:1personal', chatIncident());
    await notifier.reply(ref, 'noted');
    expect(emulator.activities('a:1personal').map((a) => a.replyToId)).toEqual([null, null]);
    expect(emulator.state.callLog.at(-1)?.path).toBe('/v3/conversations/a:1personal/activities');
  });

  it("emulates Teams: 'reply to activity' on the bare channel id arrives as a new top-level post", async () => {
    await start();
    const ref = await anonymous().post(CHANNEL, chatIncident());
    const res = await fetch(`${server.url}/v3/conversations/${CHANNEL}/activities/${ref.ts}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'lost reply', replyToId: ref.ts }),
    });
    expect(res.status).toBe(201);
    expect(emulator.activities(CHANNEL).map((a) => a.replyToId)).toEqual([null, null]);
    expect(emulator.activities(`${CHANNEL};messageid=${ref.ts}`)).toHaveLength(1);
  });

  it('cuts a reply to stay under the size Teams accepts per activity', async () => {
    await start();
    const notifier = anonymous();
    const ref = await notifier.post(CHANNEL, chatIncident());
    await notifier.reply(ref, 'ü'.repeat(40_000));
    const [, reply] = emulator.activities(CHANNEL);
    const text = (reply?.activity as { text?: string } | undefined)?.text ?? '';
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(24 * 1024);
    expect(text).toMatch(/^ü+\n… \(truncated; the full text is on the incident timeline\)$/);
  });

  it('never calls a stored serviceUrl outside the allow-list (a reference forged before the fix)', async () => {
    await start();
    // Another server that would answer like a connector: the attacker's.
    const attacker = createTeamsEmulator({ prefix: '/sandbox/teams' });
    const elsewhere = await attacker.listen();
    try {
      await references.save(reference(`${elsewhere.url}/`, '19:forged@thread.tacv2'));
      const err = await anonymous()
        .post('19:forged@thread.tacv2', chatIncident())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IntegrationError);
      expect(attacker.state.callLog).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses a conversation the app was never installed in, permanently', async () => {
    await start();
    const err = await anonymous()
      .post('19:unknown@thread.tacv2', chatIncident())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ system: 'teams', operation: 'post', retryable: false });
    expect(emulator.state.callLog).toEqual([]);
  });

  it('turns 429 into a retryable error with Retry-After and leaves the retry to the outbox', async () => {
    await start();
    emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 4 });
    await expect(anonymous().post(CHANNEL, chatIncident())).rejects.toMatchObject({
      system: 'teams',
      status: 429,
      retryable: true,
      retryAfterSeconds: 4,
    });
    // No retry of its own inside the Retry-After window.
    expect(emulator.state.callLog).toHaveLength(1);
    expect(retryAfterViolations(emulator.state.callLog)).toEqual([]);
    expect(emulator.activities(CHANNEL)).toEqual([]);
  });

  it('turns a 5xx into a retryable error', async () => {
    await start();
    emulator.faults.script.push({ kind: 'error', status: 503 });
    await expect(anonymous().post(CHANNEL, chatIncident())).rejects.toMatchObject({
      status: 503,
      retryable: true,
    });
  });

  it('turns an update of an unknown activity (404) into a permanent error naming the connector code', async () => {
    await start();
    const err = await anonymous()
      .update({ channel: CHANNEL, ts: '123' }, chatIncident())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ operation: 'update', status: 404, retryable: false });
    expect((err as Error).message).toContain('ActivityNotFound');
  });

  it('is retryable when the connector cannot be reached', async () => {
    await start();
    await server.close();
    await expect(anonymous().post(CHANNEL, chatIncident())).rejects.toMatchObject({
      status: null,
      retryable: true,
    });
    server = await emulator.listen();
  });

  it('with an app id, sends the app token the SDK acquired as a Bearer header', async () => {
    await start({ tokens: ['app-token-1'] });
    const adapter = createTeamsAdapter({
      auth: { clientId: 'app-id', clientSecret: new Secret('s3cret'), tenantId: null },
      logger: silent,
      serviceUrls: microsoftServiceUrls(['127.0.0.1']),
    });
    // Stand in for MSAL (the network call to Entra) at the SDK's own seam; everything else is the SDK.
    const scopes: string[] = [];
    const provider = {
      getAccessToken: async (scope: unknown) => {
        scopes.push(String(scope));
        return 'app-token-1';
      },
    } as unknown as AuthProvider;
    useTokenProvider(adapter, provider);
    const ref = await createBotNotifier({ adapter, references, clock: systemClock }).post(
      CHANNEL,
      chatIncident(),
    );
    expect(emulator.activities(CHANNEL)[0]).toMatchObject({
      id: ref.ts,
      authorization: 'Bearer app-token-1',
    });
    expect(scopes).toEqual(['https://api.botframework.com']);
  });
});
