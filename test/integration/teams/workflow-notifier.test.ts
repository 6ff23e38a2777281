import { Secret } from '../../../src/config/secret';
import { IntegrationError } from '../../../src/errors';
import type { Logger } from '../../../src/ports/logger';
import { createTeamsEmulator, type TeamsEmulator } from '../../../integrations/sandbox/teams/emulator';
import { createWorkflowNotifier } from '../../../integrations/teams/workflow-notifier';
import { systemClock } from '../../../integrations/clock/system-clock';
import { chatIncident } from '../../unit/teams/chat-incident';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('Teams notify-only mode (Workflows webhook) against the emulator', () => {
  let emulator: TeamsEmulator;
  let server: { url: string; close(): Promise<void> };
  // Workflows URLs carry their signature in the query string: the whole URL is the secret.
  const sig = 'sig=Zm9vYmFyLXNpZ25hdHVyZQ';
  const url = () => `${server.url}/workflows/ops-flow?api-version=1&${sig}`;
  const notifier = (over: { timeoutMs?: number } = {}) =>
    createWorkflowNotifier({ url: new Secret(url()), logger: silent, clock: systemClock, ...over });

  beforeEach(async () => {
    emulator = createTeamsEmulator({ prefix: '/sandbox/teams' });
    server = await emulator.listen();
  });
  afterEach(() => server.close());

  it('posts the notify-only card as a message attachment and gets 202', async () => {
    const ref = await notifier().post('ops', chatIncident());
    expect(ref).toEqual({ channel: 'ops', ts: expect.stringMatching(/^workflow:[0-9a-f-]{36}:open$/) });
    expect(emulator.state.workflows).toHaveLength(1);
    const [post] = emulator.state.workflows;
    expect(post!.workflowId).toBe('ops-flow');
    expect(post!.payload).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }],
    });
    expect(post!.card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', msteams: { width: 'Full' } });
    expect(JSON.stringify(post!.card)).not.toContain('Action.Execute');
    expect(emulator.state.callLog.map((c) => c.status)).toEqual([202]);
  });

  it('posts a state-change card on update only when the visible state changed', async () => {
    const n = notifier();
    const ref = await n.post('ops', chatIncident());
    await n.update(ref, chatIncident({ firingCount: 3 }));
    expect(emulator.state.workflows).toHaveLength(1);
    await n.update(
      ref,
      chatIncident({ state: 'resolved', resolution: { by: 'Bob', at: '2025-03-04T09:00:00Z', note: 'ok' } }),
    );
    await n.update(ref, chatIncident({ state: 'resolved' }));
    expect(emulator.state.workflows).toHaveLength(2);
    expect(JSON.stringify(emulator.state.workflows[1]!.card)).toContain('INC0010001 resolved');
  });

  it('remembers the state in the ref across restarts of the notifier', async () => {
    const ref = await notifier().post('ops', chatIncident());
    await notifier().update(ref, chatIncident());
    expect(emulator.state.workflows).toHaveLength(1);
  });

  it('drops replies: a webhook cannot thread', async () => {
    const n = notifier();
    const ref = await n.post('ops', chatIncident());
    await n.reply(ref, 'Ada acknowledged');
    expect(emulator.state.workflows).toHaveLength(1);
  });

  it('turns 429 into a retryable error with Retry-After', async () => {
    emulator.faults.script.push({ kind: 'rateLimit', retryAfterSeconds: 7 });
    const err = await notifier()
      .post('ops', chatIncident())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IntegrationError);
    expect(err).toMatchObject({
      system: 'teams',
      operation: 'post',
      status: 429,
      retryable: true,
      retryAfterSeconds: 7,
    });
    expect(emulator.state.workflows).toHaveLength(0);
  });

  it('turns 502 into a retryable error', async () => {
    emulator.faults.script.push({ kind: 'error', status: 502 });
    await expect(notifier().post('ops', chatIncident())).rejects.toMatchObject({
      status: 502,
      retryable: true,
    });
  });

  it('turns 400 into a permanent error', async () => {
    const bad = createWorkflowNotifier({
      url: new Secret(`${server.url}/workflows/x/extra?${sig}`),
      logger: silent,
      clock: systemClock,
    });
    // An unknown path answers 404; a malformed payload answers 400 — both permanent.
    await expect(bad.post('ops', chatIncident())).rejects.toMatchObject({ status: 404, retryable: false });
    const res = await fetch(url(), { method: 'POST', body: '{"type":"message"}' });
    expect(res.status).toBe(400);
    emulator.faults.script.push({ kind: 'error', status: 400 });
    await expect(notifier().post('ops', chatIncident())).rejects.toMatchObject({
      status: 400,
      retryable: false,
    });
  });

  it('never puts the URL (or its signature) into error messages', async () => {
    const errors: unknown[] = [];
    emulator.faults.script.push({ kind: 'rateLimit' }, { kind: 'error', status: 400 });
    errors.push(
      await notifier()
        .post('ops', chatIncident())
        .catch((e: unknown) => e),
    );
    errors.push(
      await notifier()
        .post('ops', chatIncident())
        .catch((e: unknown) => e),
    );
    await server.close();
    errors.push(
      await notifier()
        .post('ops', chatIncident())
        .catch((e: unknown) => e),
    );
    expect(errors).toHaveLength(3);
    expect((errors[2] as IntegrationError).retryable).toBe(true);
    for (const e of errors) {
      const text = `${(e as Error).message} ${JSON.stringify(e)} ${String((e as Error).stack)}`;
      expect(text).not.toContain('sig=');
      expect(text).not.toContain('/workflows/');
    }
    server = await emulator.listen(); // afterEach closes it again
  });

  it('times out without waiting forever and calls that retryable', async () => {
    emulator.faults.script.push({ kind: 'timeout', holdMs: 1000 });
    await expect(notifier({ timeoutMs: 100 }).post('ops', chatIncident())).rejects.toMatchObject({
      status: null,
      retryable: true,
      message: expect.stringContaining('no answer within 100 ms'),
    });
  });
});
