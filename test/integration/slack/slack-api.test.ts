import { homeView, resolveModal } from '../../../integrations/slack/presenters';
import { incident } from '../../unit/slack/incident-fixture';
import { startSlack } from './harness';

describe('SlackApi against the Slack emulator', () => {
  let env: Awaited<ReturnType<typeof startSlack>>;
  beforeEach(async () => {
    env = await startSlack();
  });
  afterEach(() => env.server.close());

  it('verifies the token with auth.test', async () => {
    await expect(env.api.authTest()).resolves.toEqual({
      teamId: 'T0SANDBOX',
      userId: env.emulator.state.botUserId,
      botId: env.emulator.state.botId,
    });
  });

  it('uploads two files into the channel with one comment and the bytes intact', async () => {
    const html = Buffer.from('<html><body>SLA 2026-02 — ü</body></html>', 'utf8');
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { fileIds } = await env.api.uploadFiles(
      'C0ALERTS',
      [
        { name: 'sla-2026-02.html', content: html, title: 'SLA report' },
        { name: 'sla-2026-02.bin', content: binary },
      ],
      'Monthly SLA report',
    );
    expect(fileIds).toHaveLength(2);
    const messages = env.emulator.messages('C0ALERTS');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe('Monthly SLA report');
    const files = messages[0]?.files ?? [];
    expect(files.map((f) => [f.id, f.filename, f.title, f.mimetype])).toEqual([
      [fileIds[0], 'sla-2026-02.html', 'SLA report', 'text/html'],
      [fileIds[1], 'sla-2026-02.bin', 'sla-2026-02.bin', 'application/octet-stream'],
    ]);
    expect(files[0]?.bytes?.equals(html)).toBe(true);
    expect(files[1]?.bytes?.equals(binary)).toBe(true);
    expect(files.every((f) => f.completed && f.declaredLength === f.bytes?.length)).toBe(true);
    // The bytes went to the upload URL on the emulator itself.
    expect(env.emulator.calls.filter((c) => c.path.startsWith('/_upload/'))).toHaveLength(2);
  });

  it('uploads into a thread', async () => {
    const ref = await env.notifier.post('#itsm-alerts', incident());
    await env.api.uploadFiles(
      ref.channel,
      [{ name: 'notes.txt', content: Buffer.from('x') }],
      undefined,
      ref.ts,
    );
    const [parent] = env.emulator.messages('C0ALERTS');
    expect(parent?.replies[0]?.files.map((f) => f.filename)).toEqual(['notes.txt']);
  });

  it('caches e-mail addresses from users.info', async () => {
    await expect(env.api.userEmail('U0ALICE')).resolves.toBe('alice@example.com');
    await expect(env.api.userEmail('U0ALICE')).resolves.toBe('alice@example.com');
    await expect(env.api.userEmail('U0NOMAIL')).resolves.toBeNull();
    await expect(env.api.userEmail('U0NOMAIL')).resolves.toBeNull();
    expect(env.emulator.state.calls.filter((c) => c.method === 'users.info')).toHaveLength(2);
    env.api.clearCaches();
    await env.api.userEmail('U0ALICE');
    expect(env.emulator.state.calls.filter((c) => c.method === 'users.info')).toHaveLength(3);
  });

  it('sends no call of a method inside the Retry-After Slack gave for it, outside the outbox lanes too', async () => {
    // Slash commands and buttons look users up directly (not through a lane's gate); found by the chaos suite.
    env.emulator.faults.script.push({ kind: 'rateLimit', path: 'users.info', retryAfterSeconds: 30 });
    await expect(env.api.userEmail('U0ALICE')).rejects.toMatchObject({
      retryable: true,
      retryAfterSeconds: 30,
    });
    await expect(env.api.userEmail('U0BOB')).rejects.toMatchObject({ retryable: true, status: 429 });
    expect(env.emulator.calls.filter((c) => c.path.endsWith('users.info'))).toHaveLength(1);
    // Other methods have limits of their own and still go out.
    await env.api.postMessage('C0ALERTS', { text: 'still posting' });
    expect(env.emulator.messages('C0ALERTS').at(-1)?.text).toBe('still posting');
  });

  it('gives the display name with the e-mail from the same cached users.info answer', async () => {
    await expect(env.api.userProfile('U0ALICE')).resolves.toEqual({
      name: 'Alice Example',
      email: 'alice@example.com',
    });
    await expect(env.api.userEmail('U0ALICE')).resolves.toBe('alice@example.com');
    expect(env.emulator.state.calls.filter((c) => c.method === 'users.info')).toHaveLength(1);
  });

  it('reports an unknown user as a permanent error and does not cache it', async () => {
    await expect(env.api.userEmail('U0GHOST')).rejects.toMatchObject({
      retryable: false,
      message: 'slack users.info: user_not_found',
    });
    await expect(env.api.userEmail('U0GHOST')).rejects.toThrow('user_not_found');
    expect(env.emulator.state.calls.filter((c) => c.method === 'users.info')).toHaveLength(2);
  });

  it('hides e-mail addresses without the users:read.email scope', async () => {
    const narrow = await startSlack({ emulator: { scopes: ['chat:write', 'users:read'] } });
    try {
      await expect(narrow.api.userEmail('U0ALICE')).resolves.toBeNull();
      await expect(
        narrow.api.uploadFiles('C0ALERTS', [{ name: 'a.txt', content: Buffer.from('a') }]),
      ).rejects.toThrow('missing_scope');
    } finally {
      await narrow.server.close();
    }
  });

  it('caches user group members', async () => {
    await expect(env.api.usergroupMembers('S0ONCALL')).resolves.toEqual(['U0ALICE', 'U0BOB']);
    env.emulator.state.usergroups.set('S0ONCALL', ['U0ALICE']);
    await expect(env.api.usergroupMembers('S0ONCALL')).resolves.toEqual(['U0ALICE', 'U0BOB']);
    expect(env.emulator.state.calls.filter((c) => c.method === 'usergroups.users.list')).toHaveLength(1);
    await expect(env.api.usergroupMembers('S0NONE')).rejects.toThrow('no_such_subteam');
  });

  it('posts an ephemeral message only the user sees', async () => {
    await env.api.postEphemeral('C0ALERTS', 'U0ALICE', { text: 'Only for you' });
    expect(env.emulator.state.ephemerals).toMatchObject([
      { channel: 'C0ALERTS', user: 'U0ALICE', text: 'Only for you' },
    ]);
    expect(env.emulator.messages('C0ALERTS')).toEqual([]);
    await expect(env.api.postEphemeral('C0ALERTS', 'U0GHOST', { text: 'x' })).rejects.toThrow(
      'user_not_found',
    );
  });

  it('opens the resolve modal with a fresh trigger id, once', async () => {
    const trigger = env.emulator.mintTriggerId('U0ALICE');
    const { viewId } = await env.api.openView(trigger, resolveModal(incident()));
    expect(viewId).toMatch(/^V/);
    expect(env.emulator.state.views).toMatchObject([
      { id: viewId, type: 'modal', user: 'U0ALICE', callbackId: 'itsm_resolve_note', privateMetadata: '42' },
    ]);
    await expect(env.api.openView(trigger, resolveModal(incident()))).rejects.toThrow('trigger_exchanged');
    await expect(env.api.openView('123.456.abc', resolveModal(incident()))).rejects.toThrow(
      'invalid_trigger_id',
    );
  });

  it('refuses an expired trigger id', async () => {
    let clock = 1_000_000;
    const timed = await startSlack({ emulator: { now: () => clock } });
    try {
      const trigger = timed.emulator.mintTriggerId('U0ALICE');
      clock += 3500;
      await expect(timed.api.openView(trigger, resolveModal(incident()))).rejects.toMatchObject({
        retryable: false,
        message: 'slack views.open: expired_trigger_id',
      });
    } finally {
      await timed.server.close();
    }
  });

  it('publishes the App Home per user and replaces it on the next publish', async () => {
    await env.api.publishHome('U0ALICE', homeView([incident()], []));
    await env.api.publishHome('U0ALICE', homeView([], [incident(), incident({ id: 43 })]));
    await env.api.publishHome('U0BOB', homeView([], []));
    const alice = env.emulator.state.homes.get('U0ALICE');
    expect(alice?.history).toHaveLength(1);
    expect(JSON.stringify(alice?.view)).toContain('Open queue (2)');
    expect(env.emulator.state.homes.get('U0BOB')?.history).toEqual([]);
    expect(env.emulator.state.views).toHaveLength(2);
  });

  it('rejects a modal title over 24 characters like Slack', async () => {
    const bad = { ...resolveModal(incident()), title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    await expect(env.api.openView(env.emulator.mintTriggerId('U0ALICE'), bad)).rejects.toThrow(
      /invalid_arguments: \[ERROR\] must be less than 25 characters \[json-pointer:\/view\/title\/text\]/,
    );
  });
});
