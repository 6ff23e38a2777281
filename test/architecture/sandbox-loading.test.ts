// Counts how often the sandbox tree's entry module is loaded (jest's registry loads it at most once).
const mockSandboxLoaded = jest.fn();
jest.mock('../../integrations/sandbox/create-sandbox', () => {
  mockSandboxLoaded();
  return jest.requireActual('../../integrations/sandbox/create-sandbox');
});

// Port 9 (discard) is never contacted: without alerts the adapters make no request.
const JIRA = `
jira:
  baseUrl: http://127.0.0.1:9
  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "\${JIRA_TOKEN}" }
slack: { enabled: false }
teams: { enabled: false }
`;
const CONFIGURED = `
servicenow:
  instanceUrl: http://127.0.0.1:9
  auth: { type: basic, username: itsm.bridge, password: "\${SN_PASSWORD}" }
${JIRA}`;
const env = { SN_PASSWORD: 'not-the-sandbox', JIRA_TOKEN: 'not-the-sandbox' };
// Loaded inside the tests, after the counter exists: a static import of the sandbox anywhere on the way to
// startApp then counts as a load instead of failing before any test runs.
const startTestApp = (o: { yaml: string; env: Record<string, string> }) =>
  (require('../helpers/test-app') as typeof import('../helpers/test-app')).startTestApp(o);

/** Nothing of the sandbox was loaded or mounted; closes the app. */
async function expectNoSandbox(app: Awaited<ReturnType<typeof startTestApp>>) {
  try {
    expect(mockSandboxLoaded).not.toHaveBeenCalled();
    expect(app.sandboxes).toEqual({});
    expect((await fetch(`${app.url}/sandbox/servicenow/api/now/table/incident`)).status).toBe(404);
  } finally {
    await app.close();
  }
}

describe('the sandbox is loaded only when a system runs as one', () => {
  it('never loads emulator code when every system is configured', async () => {
    const app = await startTestApp({ yaml: CONFIGURED, env });
    await expectNoSandbox(app);
  });

  it('mounts no emulator for an unconfigured system that is not used (issue 12, finding 7)', async () => {
    const app = await startTestApp({ yaml: `tickets: { systems: [jira] }\n${JIRA}`, env });
    await expectNoSandbox(app);
  });

  // Runs after the cases above: it shows that the counter does see a load.
  it('loads it for a system without a URL, and only that emulator runs', async () => {
    const app = await startTestApp({ yaml: JIRA, env });
    try {
      expect(mockSandboxLoaded).toHaveBeenCalledTimes(1);
      expect(Object.keys(app.sandboxes)).toEqual(['servicenow']);
    } finally {
      await app.close();
    }
  });
});
