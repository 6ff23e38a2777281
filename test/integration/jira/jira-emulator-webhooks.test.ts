import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJiraEmulator } from '../../../integrations/sandbox/jira/emulator';
import { ENGINEER_AUTH as ENGINEER } from '../../helpers/sandbox-people';

const BRIDGE = `Basic ${Buffer.from('itsm-bridge@example.com:sandbox').toString('base64')}`;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers the statuses given in turn (then 200) and keeps what it got. */
async function receiver(statuses: number[]) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/jira`;
  return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Jira emulator: signed admin webhooks with Jira retry behaviour', () => {
  const setup = async (statuses: number[]) => {
    const emu = createJiraEmulator({ perIssueWrite: null });
    const api = await emu.listen();
    const hook = await receiver(statuses);
    emu.webhooks.settings.retryDelaysMs = [5, 5, 5, 5, 5];
    const call = (path: string, method: string, body: unknown, auth = ENGINEER) =>
      fetch(`${api.url}/rest/${path}`, {
        method,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const reg = await call(
      'webhooks/1.0/webhook',
      'POST',
      { name: 'bridge', url: hook.url, events: ['jira:issue_updated', 'comment_created'], secret: 's3cret' },
      BRIDGE,
    );
    expect(reg.status).toBe(201);
    const created = await call('api/3/issue', 'POST', {
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'x' },
    });
    const { key } = (await created.json()) as { key: string };
    return { emu, api, hook, call, key, close: async () => (await api.close(), await hook.close()) };
  };

  it.each([408, 409, 425, 429, 500, 503])(
    'retries a %i with the same identifier until 2xx',
    async (status) => {
      const t = await setup([status, status]);
      try {
        const doc = {
          type: 'doc',
          version: 1,
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }],
        };
        expect((await t.call(`api/3/issue/${t.key}/comment`, 'POST', { body: doc })).status).toBe(201);
        await t.emu.webhooks.idle();
        expect(t.hook.got).toHaveLength(3);
        const ids = new Set(t.hook.got.map((g) => g.headers['x-atlassian-webhook-identifier']));
        expect(ids.size).toBe(1);
        expect(t.hook.got.map((g) => g.headers['x-atlassian-webhook-retry'])).toEqual([undefined, '1', '2']);
        for (const g of t.hook.got)
          expect(g.headers['x-hub-signature']).toBe(
            `sha256=${createHmac('sha256', 's3cret').update(g.body).digest('hex')}`,
          );
        const body = JSON.parse(t.hook.got[0]!.body);
        expect(body).toMatchObject({ webhookEvent: 'comment_created', issue: { key: t.key } });
        // The human account's edits carry that person as author.
        expect(body.comment.author.emailAddress).toBe('engineer@example.com');
      } finally {
        await t.close();
      }
    },
  );

  it('does not retry a 400 or 401, and delivers a transition with its changelog', async () => {
    const t = await setup([401]);
    try {
      const waiting = t.emu.state.transitions.find((x) => x.name === 'Waiting')!;
      expect(
        (await t.call(`api/3/issue/${t.key}/transitions`, 'POST', { transition: { id: waiting.id } })).status,
      ).toBe(204);
      await t.emu.webhooks.idle();
      expect(t.hook.got).toHaveLength(1);
      const body = JSON.parse(t.hook.got[0]!.body);
      expect(body.webhookEvent).toBe('jira:issue_updated');
      expect(body.changelog.items[0]).toMatchObject({
        field: 'status',
        fromString: 'To Do',
        toString: 'Waiting',
      });
      expect(body.issue.fields.status.name).toBe('Waiting');
      expect(t.emu.webhooks.deliveries[0]).toMatchObject({ attempts: 1, status: 401 });
    } finally {
      await t.close();
    }
  });
});
