import { createSlackEmulator } from '../../../integrations/sandbox/slack/emulator';
import { rawCall, startSlack } from './harness';

describe('Slack emulator speaks the Web API', () => {
  let env: Awaited<ReturnType<typeof startSlack>>;
  const call = (
    method: string,
    body: Record<string, unknown> | URLSearchParams,
    headers?: Record<string, string>,
  ) => rawCall(env.server.url, method, body, headers);
  beforeEach(async () => {
    env = await startSlack();
  });
  afterEach(() => env.server.close());

  it('accepts JSON with a Bearer token and form bodies with a token field', async () => {
    const json = await call('chat.postMessage', { channel: '#itsm-alerts', text: 'json' });
    expect(json).toMatchObject({ status: 200, body: { ok: true, channel: 'C0ALERTS' } });
    const form = await call(
      'chat.postMessage',
      new URLSearchParams({
        token: 'xoxb-sandbox',
        channel: 'itsm-alerts',
        text: 'form',
        blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }]),
      }),
      {},
    );
    expect(form.body).toMatchObject({ ok: true, message: { text: 'form', blocks: [{ type: 'section' }] } });
    expect(env.emulator.messages('C0ALERTS').map((m) => m.text)).toEqual(['json', 'form']);
  });

  it('answers not_authed and invalid_auth with HTTP 200, and ignores a token inside JSON', async () => {
    expect((await call('auth.test', {}, {})).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', { token: 'xoxb-sandbox' }, {})).body).toEqual({
      ok: false,
      error: 'not_authed',
    });
    const wrong = await call('auth.test', {}, { Authorization: 'Bearer xoxb-nope' });
    expect(wrong).toMatchObject({ status: 200, body: { ok: false, error: 'invalid_auth' } });
  });

  it('requires text or blocks, and refuses to edit or delete messages it did not write', async () => {
    expect((await call('chat.postMessage', { channel: 'C0ALERTS' })).body.error).toBe('no_text');
    const human = env.emulator.postAsUser('C0ALERTS', 'U0ALICE', 'hello');
    const edit = await call('chat.update', { channel: 'C0ALERTS', ts: human.ts, text: 'hacked' });
    expect(edit.body.error).toBe('cant_update_message');
    expect((await call('chat.delete', { channel: 'C0ALERTS', ts: human.ts })).body.error).toBe(
      'cant_delete_message',
    );
    expect((await call('chat.update', { channel: 'C0ALERTS', ts: '1.000001', text: 'x' })).body.error).toBe(
      'message_not_found',
    );
    expect(human.text).toBe('hello');
  });

  it('deletes its own messages and replies only under existing threads', async () => {
    const posted = await call('chat.postMessage', { channel: 'C0ALERTS', text: 'bye' });
    const orphan = await call('chat.postMessage', { channel: 'C0ALERTS', text: 'r', thread_ts: '1.000002' });
    expect(orphan.body.error).toBe('thread_not_found');
    expect((await call('chat.delete', { channel: 'C0ALERTS', ts: posted.body.ts })).body.ok).toBe(true);
    expect(env.emulator.messages('C0ALERTS')).toEqual([]);
    expect(env.emulator.state.deleted.map((m) => m.text)).toEqual(['bye']);
  });

  it('needs membership or chat:write.public to post into a public channel', async () => {
    expect((await call('chat.postMessage', { channel: '#elsewhere', text: 'x' })).body.ok).toBe(true);
    const narrow = createSlackEmulator({
      channels: [{ id: 'C1', name: 'x', isMember: false }],
      scopes: ['chat:write'],
    });
    const server = await narrow.listen(0);
    try {
      expect((await rawCall(server.url, 'chat.postMessage', { channel: 'C1', text: 'x' })).body.error).toBe(
        'not_in_channel',
      );
    } finally {
      await server.close();
    }
  });

  it('answers 429 with Retry-After and ratelimited in the body', async () => {
    env.emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 4 });
    const res = await call('auth.test', {});
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(res.body).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('reports unknown methods', async () => {
    expect((await call('conversations.list', {})).body).toEqual({
      ok: false,
      error: 'unknown_method',
      req_method: 'conversations.list',
    });
  });

  it('records what a response_url would show, five times at most, and posts in_channel answers', async () => {
    const { url, id } = env.emulator.mintResponseUrl({ channel: 'C0ALERTS', user: 'U0ALICE' });
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'only you' })).status).toBe(200);
    expect((await post({ response_type: 'in_channel', text: 'everyone' })).status).toBe(200);
    expect((await post({})).status).toBe(400);
    for (let i = 0; i < 3; i++) await post({ text: `n${i}` });
    const sixth = await post({ text: 'too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    const posts = env.emulator.state.responseUrls.get(id)?.posts ?? [];
    expect(posts.map((p) => [p.responseType, p.text])).toEqual([
      ['ephemeral', 'only you'],
      ['in_channel', 'everyone'],
      ['ephemeral', 'n0'],
      ['ephemeral', 'n1'],
      ['ephemeral', 'n2'],
    ]);
    expect(env.emulator.messages('C0ALERTS').map((m) => m.text)).toEqual(['everyone']);
    const unknown = await fetch(`${env.server.url}/_responses/nope`, {
      method: 'POST',
      body: '{"text":"x"}',
    });
    expect(unknown.status).toBe(404);
  });

  it('replaces the original message through a response_url from an interaction', async () => {
    const posted = await call('chat.postMessage', { channel: 'C0ALERTS', text: 'card v1' });
    const { url } = env.emulator.mintResponseUrl({ channel: 'C0ALERTS', messageTs: posted.body.ts });
    await fetch(url, { method: 'POST', body: JSON.stringify({ replace_original: true, text: 'card v2' }) });
    const [m] = env.emulator.messages('C0ALERTS');
    expect(m?.text).toBe('card v2');
    expect(m?.updates.map((u) => u.text)).toEqual(['card v1']);
  });

  it('serves under the sandbox prefix when mounted into another server', async () => {
    const emu = createSlackEmulator();
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      void emu.handle(req, res).then((mine) => {
        if (!mine) res.writeHead(418).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const ok = await rawCall(`http://127.0.0.1:${port}/sandbox/slack/api`, 'auth.test', {});
      expect(ok.body).toMatchObject({ ok: true, team_id: 'T0SANDBOX' });
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(418);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
