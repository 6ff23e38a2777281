import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/test-app';

const ALERT = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'generic', 'firing.json'), 'utf8'),
) as Record<string, unknown>;

/** A POST whose headers arrive at once and whose body never does: the slow-body attack of issue 12. */
function slowPost(url: string, path: string, headers: Record<string, string> = {}): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const lines = [
        `POST ${path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Content-Type: application/x-www-form-urlencoded',
        'Content-Length: 100000',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\ncommand=%2Fitsm`, () => resolve(socket));
    });
    socket.on('error', reject);
  });
}

/** What came back on a raw socket until it closed (or `ms` passed): the status line, or '' for none. */
function statusOf(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => resolve(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? '');
    const timer = setTimeout(done, ms);
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (/^HTTP\/1\.1 \d{3}/.test(text)) {
        clearTimeout(timer);
        done();
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done();
    });
  });
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a flood on one route does not refuse alerts (issue 12, finding 1)', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startTestApp({ yaml: 'server: { maxConnections: 2000 }\n' });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });
  afterAll(() => app.close());

  it('keeps answering 202 on /webhooks/* while 260 slow unauthenticated bodies hang on /slack/events', async () => {
    // Half without any Slack headers, half with a fresh timestamp and a made-up signature (they get past
    // the header check, and only the chat budget stops them).
    const ts = String(Math.floor(Date.now() / 1000));
    const pending: Promise<string>[] = [];
    for (let i = 0; i < 260; i++) {
      const headers: Record<string, string> =
        i % 2 === 0 ? {} : { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${'0'.repeat(64)}` };
      const socket = await slowPost(app.url, '/slack/events', headers);
      sockets.push(socket);
      pending.push(statusOf(socket, 1000));
    }
    await settle(300);
    for (let i = 0; i < 5; i++) {
      const res = await app.post('generic', { ...ALERT, dedupKey: `flood-${i}` });
      expect(res.status).toBe(202);
    }
    const answers = await Promise.all(pending);
    // Unsigned: refused before the body is read (401, or 503 once the chat budget is full). Signed-looking:
    // the chat budget holds some (no answer yet), the rest get 503 at once.
    const unsigned = answers.filter((_, i) => i % 2 === 0);
    expect(unsigned.filter((s) => s === '401').length).toBeGreaterThan(0);
    expect(unsigned.every((s) => s === '401' || s === '503')).toBe(true);
    const signed = answers.filter((_, i) => i % 2 === 1);
    expect(signed.filter((s) => s === '').length).toBe(64);
    expect(signed.filter((s) => s === '503').length).toBe(130 - 64);
  });

  it('answers 401 on /slack/events for a stale timestamp without reading the body', async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const socket = await slowPost(app.url, '/slack/events', {
      'x-slack-request-timestamp': stale,
      'x-slack-signature': `v0=${'0'.repeat(64)}`,
    });
    sockets.push(socket);
    expect(await statusOf(socket, 2000)).toBe('401');
  });
});

describe('a body that does not arrive in time (issue 12, finding 1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ yaml: 'server: { bodyTimeout: 0.5 }\n' });
  });
  afterAll(() => app.close());

  it('answers 408 and closes the connection after server.bodyTimeout', async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const socket = await slowPost(app.url, '/slack/events', {
      'x-slack-request-timestamp': ts,
      'x-slack-signature': `v0=${'0'.repeat(64)}`,
    });
    try {
      expect(await statusOf(socket, 5000)).toBe('408');
    } finally {
      socket.destroy();
    }
  });
});

describe('Teams with an app id checks the token before the body (issue 12, finding 1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      yaml: 'slack: { enabled: false }\n',
      env: { TEAMS_APP_ID: '00000000-0000-4000-8000-0000000000a1', TEAMS_APP_PASSWORD: 'x' },
    });
  });
  afterAll(() => app.close());

  it('answers 401 to a slow body without Authorization at once', async () => {
    const socket = await slowPost(app.url, '/teams/messages');
    try {
      expect(await statusOf(socket, 3000)).toBe('401');
    } finally {
      socket.destroy();
    }
  });
});

describe('server.maxConnections (issue 12, finding 1)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ yaml: 'server: { maxConnections: 3 }\n' });
  });
  afterAll(() => app.close());

  it('drops connections beyond the cap, and serves again once they close', async () => {
    const { hostname, port } = new URL(app.url);
    const open = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect(Number(port), hostname, () => resolve(s));
          }),
      ),
    );
    await settle(100);
    // The fourth is closed by the server as soon as it is accepted, without an answer.
    const fourth = connect(Number(port), hostname, () =>
      fourth.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    expect(await statusOf(fourth, 2000)).toBe('');
    expect(fourth.destroyed || fourth.readableEnded).toBe(true);
    for (const s of open) s.destroy();
    await settle(100);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
