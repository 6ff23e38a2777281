import { connect } from 'node:net';
import { defaultFaults, FaultInjector } from '../../integrations/sandbox/faults';
import { emulatorHandle, listenEmulator } from '../../integrations/sandbox/serve-emulator';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Sends only the headers of a POST declaring `length` bytes; resolves with the first status line. */
function declareHuge(url: string, path: string, length: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`,
      );
    });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('');
    }, 3000);
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    });
    socket.on('error', reject);
  });
}

describe('sandbox emulators have bounds (issue 12, finding 7)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('answers 413 JSON to a 300 MB body on /sandbox/slack/api/auth.test without reading it', async () => {
    const answer = await declareHuge(app.url, '/sandbox/slack/api/auth.test', 300 * 1024 * 1024);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"error":"payload_too_large"');
  });

  it('answers 413 to a chunked body that grows over 1 MiB', async () => {
    const res = await fetch(`${app.url}/sandbox/servicenow/api/now/table/incident`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 3; i++) c.enqueue(new Uint8Array(512 * 1024).fill(32));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});

describe('the shared emulator handler', () => {
  const faults = defaultFaults();
  const injector = new FaultInjector(faults, () => 0, {
    rateLimited: () => ({ status: 429 }),
    serverError: (status) => ({ status }),
  });
  const handle = emulatorHandle('/emu', injector, async (req) => ({
    status: 201,
    body: { got: req.body.length },
  }));
  let server: Awaited<ReturnType<typeof listenEmulator>>;
  beforeAll(async () => {
    server = await listenEmulator(handle, 0, '/emu', {
      notFound: { status: 404 },
      failed: () => ({ status: 500 }),
    });
  });
  afterAll(() => server.close());
  const post = (bytes: number) => fetch(`${server.url}/things`, { method: 'POST', body: 'x'.repeat(bytes) });

  it('keeps only the last limits.callLog entries, numbered on', async () => {
    faults.limits.callLog = 3;
    for (let i = 0; i < 5; i++) await fetch(`${server.url}/things`);
    expect(injector.callLog.map((c) => c.seq)).toEqual([3, 4, 5]);
  });

  it('refuses writes with 507 once limits.storedBytes of bodies were written; reads still work', async () => {
    faults.limits.storedBytes = 2500;
    expect((await post(1000)).status).toBe(201);
    expect((await post(1000)).status).toBe(201);
    const full = await post(1000);
    expect(full.status).toBe(507);
    expect(await full.json()).toMatchObject({ error: 'sandbox_full' });
    expect((await fetch(`${server.url}/things`)).status).toBe(201);
  });
});
