import { IntegrationError } from '../../../src/errors';
import { CHAT_ACTIONS } from '../../../src/ports/chat';
import { SlackApi } from '../../../integrations/slack/slack-api';
import { systemClock } from '../../../integrations/clock/system-clock';
import { incident } from '../../unit/slack/incident-fixture';
import { startSlack } from './harness';

const actionIds = (blocks: unknown[]) =>
  JSON.stringify(blocks)
    .match(/"action_id":"[a-z_]+"/g)
    ?.map((s) => s.slice(13, -1)) ?? [];

describe('SlackNotifier against the Slack emulator', () => {
  let env: Awaited<ReturnType<typeof startSlack>>;
  beforeEach(async () => {
    env = await startSlack();
  });
  afterEach(() => env.server.close());

  it('posts the incident card to a channel given by #name and returns the channel id and ts', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    expect(ref.channel).toBe('C0ALERTS');
    expect(ref.ts).toMatch(/^\d{10}\.\d{6}$/);
    const [message] = env.emulator.messages('C0ALERTS');
    expect(message).toMatchObject({ ts: ref.ts, user: env.emulator.state.botUserId });
    expect(message?.text).toContain('P2 Open: DMS application down at branch Berlin');
    expect(actionIds(message?.blocks ?? [])).toEqual(
      expect.arrayContaining([
        CHAT_ACTIONS.ack,
        CHAT_ACTIONS.handoff,
        CHAT_ACTIONS.resolve,
        CHAT_ACTIONS.step,
      ]),
    );
    // WebClient sends form-encoded bodies with blocks as a JSON string; the emulator decoded them.
    expect(Array.isArray(message?.blocks)).toBe(true);
    expect(env.emulator.state.calls.map((c) => [c.method, c.ok])).toEqual([['chat.postMessage', true]]);
  });

  it('accepts a bare channel name as well as the id', async () => {
    await expect(env.notifier.post('dms-ops', incident())).resolves.toMatchObject({ channel: 'C0DMSOPS' });
    await expect(env.notifier.post('C0DMSOPS', incident())).resolves.toMatchObject({ channel: 'C0DMSOPS' });
    expect(env.emulator.messages('#dms-ops')).toHaveLength(2);
  });

  it('redraws the message in place and keeps the previous version in the history', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    await env.notifier.update(
      ref,
      incident({ acknowledged: { by: 'Alice Example', at: '2026-03-02T08:20:00.000Z' } }),
    );
    const messages = env.emulator.messages('C0ALERTS');
    expect(messages).toHaveLength(1);
    const [m] = messages;
    expect(m?.text).toContain('Acknowledged by Alice Example');
    expect(actionIds(m?.blocks ?? [])).not.toContain(CHAT_ACTIONS.ack);
    expect(m?.updates).toHaveLength(1);
    expect(m?.updates[0]?.text).toContain('P2 Open');
  });

  it('removes all buttons when the incident is resolved', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    await env.notifier.update(ref, incident({ state: 'resolved', resolvedAt: '2026-03-02T10:00:00Z' }));
    expect(actionIds(env.emulator.messages('C0ALERTS')[0]?.blocks ?? [])).toEqual([]);
  });

  it('replies in the thread of the incident message, escaping the text', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    await env.notifier.reply(ref, 'Alert <disk> & friends recovered');
    await env.notifier.reply(ref, 'Second event');
    const [parent] = env.emulator.messages('C0ALERTS');
    expect(env.emulator.messages('C0ALERTS')).toHaveLength(1);
    expect(parent?.replies.map((r) => [r.threadTs, r.text])).toEqual([
      [ref.ts, 'Alert &lt;disk&gt; &amp; friends recovered'],
      [ref.ts, 'Second event'],
    ]);
  });

  it('cuts a thread reply over the 40,000 characters instead of failing with msg_too_long', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    // `&` becomes `&amp;`: the limit holds for the escaped text Slack receives.
    await env.notifier.reply(ref, `${'a'.repeat(30_000)}${'&'.repeat(5_000)}`);
    const [parent] = env.emulator.messages('C0ALERTS');
    const text = parent?.replies[0]?.text ?? '';
    expect(text.length).toBeLessThanOrEqual(40_000);
    expect(text.length).toBeGreaterThan(39_900);
    expect(text.startsWith('a'.repeat(30_000))).toBe(true);
    expect(text).toMatch(/&amp;\n… \(truncated; the full text is on the incident timeline\)$/);
  });

  it('turns a 429 into a retryable IntegrationError carrying Retry-After', async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 7 });
    const err = await env.notifier.post('#itsm-alerts', incident()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({
      system: 'slack',
      operation: 'chat.postMessage',
      status: 429,
      retryable: true,
      retryAfterSeconds: 7,
    });
    expect(env.emulator.calls).toHaveLength(1); // WebClient's own retries are off
  });

  it('refuses a wrong token with a permanent invalid_auth error', async () => {
    const wrong = new SlackApi({ token: 'xoxb-wrong', apiUrl: `${env.server.url}/`, clock: systemClock });
    const err = await wrong.postMessage('#itsm-alerts', { text: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({ status: 200, retryable: false, retryAfterSeconds: null });
    expect((err as Error).message).toBe('slack chat.postMessage: invalid_auth');
    expect(env.emulator.messages('C0ALERTS')).toEqual([]);
  });

  it('refuses an unknown channel permanently', async () => {
    await expect(env.notifier.post('#nope', incident())).rejects.toMatchObject({
      retryable: false,
      message: 'slack chat.postMessage: channel_not_found',
    });
  });

  it.each([500, 503])('treats HTTP %i as retryable', async (status) => {
    env.emulator.faults.script.push({ kind: 'error', status });
    await expect(env.notifier.post('#itsm-alerts', incident())).rejects.toMatchObject({
      status,
      retryable: true,
    });
  });

  it('treats a timeout as retryable without a status (the post may have happened)', async () => {
    const slow = await startSlack({ timeoutMs: 200 });
    try {
      slow.emulator.faults.script.push({ kind: 'timeout', holdMs: 600 });
      const err = await slow.notifier.post('#itsm-alerts', incident()).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: null, retryable: true });
      expect(slow.emulator.messages('C0ALERTS')).toHaveLength(1);
    } finally {
      await slow.server.close();
    }
  });

  it('treats a refused connection as retryable', async () => {
    await env.server.close();
    await expect(env.notifier.post('#itsm-alerts', incident())).rejects.toMatchObject({
      status: null,
      retryable: true,
    });
    env = await startSlack(); // for afterEach
  });

  it('rejects invalid blocks with the offending pointer and does not retry them', async () => {
    const blocks = Array.from({ length: 51 }, (_, i) => ({
      type: 'section' as const,
      text: { type: 'mrkdwn' as const, text: `b${i}` },
    }));
    const err = await env.api.postMessage('#itsm-alerts', { text: 'x', blocks }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toContain('invalid_blocks');
    expect((err as Error).message).toContain('must be less than 51 items [json-pointer:/blocks]');
    const longButton = [
      {
        type: 'actions' as const,
        elements: [
          {
            type: 'button' as const,
            text: { type: 'plain_text' as const, text: 'x'.repeat(76) },
            action_id: 'a',
          },
        ],
      },
    ];
    await expect(env.api.postMessage('#itsm-alerts', { text: 'x', blocks: longButton })).rejects.toThrow(
      /must be less than 76 characters \[json-pointer:\/blocks\/0\/elements\/0\/text\/text\]/,
    );
    expect(env.emulator.messages('C0ALERTS')).toEqual([]);
  });
});

describe('Slack rate limits in the emulator', () => {
  it('limits chat.postMessage per channel (burst 3, then 1/s) while another channel still passes', async () => {
    let clock = Date.parse('2026-03-02T08:00:00Z');
    const env = await startSlack({ emulator: { now: () => clock } });
    try {
      for (let i = 0; i < 3; i++) await env.notifier.post('#itsm-alerts', incident({ id: i }));
      const err = await env.notifier.post('#itsm-alerts', incident()).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 1 });
      // Another channel has its own bucket.
      await expect(env.notifier.post('#dms-ops', incident())).resolves.toMatchObject({ channel: 'C0DMSOPS' });
      // One second later one more message fits, but not two.
      clock += 1000;
      await env.notifier.post('#itsm-alerts', incident());
      await expect(env.notifier.post('#itsm-alerts', incident())).rejects.toMatchObject({ status: 429 });
      expect(env.emulator.messages('C0ALERTS')).toHaveLength(4);
      const limited = env.emulator.state.calls.filter((c) => c.status === 429);
      expect(limited.map((c) => [c.channel, c.error])).toEqual([
        ['C0ALERTS', 'ratelimited'],
        ['C0ALERTS', 'ratelimited'],
      ]);
    } finally {
      await env.server.close();
    }
  });

  it('applies per-method tiers to other methods', async () => {
    let clock = 0;
    const env = await startSlack({
      emulator: { now: () => clock, rateLimits: { perMinute: { 'users.info': 2 } } },
    });
    try {
      await env.api.userEmail('U0ALICE');
      await env.api.userEmail('U0BOB');
      await expect(env.api.userEmail('U0NOMAIL')).rejects.toMatchObject({
        status: 429,
        retryAfterSeconds: 30,
        retryable: true,
      });
      clock += 30_000;
      await expect(env.api.userEmail('U0NOMAIL')).resolves.toBeNull();
    } finally {
      await env.server.close();
    }
  });
});
