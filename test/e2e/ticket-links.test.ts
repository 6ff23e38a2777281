import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestApp, startTestApp } from '../helpers/test-app';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
routing:
  defaults: { provider: infra, groupBy: [branch] }
`;

/** Every `href` of an ADF document's link marks. */
function hrefs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(hrefs);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own =
    record.type === 'link' && typeof record.attrs === 'object'
      ? [(record.attrs as { href?: string }).href ?? '']
      : [];
  return [...own, ...Object.values(record).flatMap(hrefs)];
}

describe('a javascript: generatorURL never becomes a link in a ticket (issue 12, finding 6)', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  it('Jira gets the http(s) links only, ServiceNow does not list it either', async () => {
    const payload = JSON.parse(
      readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager', 'firing.json'), 'utf8'),
    ) as { alerts: { generatorURL?: string }[] };
    const alerts = payload.alerts
      .slice(0, 1)
      .map((a) => ({ ...a, generatorURL: 'javascript:alert(document.cookie)' }));
    await app.post('alertmanager', { ...payload, alerts });
    await app.flush(2);
    const [issue] = app.sandboxes.jira!.state.issues;
    expect(issue).toBeDefined();
    const links = hrefs(issue!.description);
    expect(links.length).toBeGreaterThan(0); // the external URL and the ServiceNow link are still there
    expect(links.filter((h) => !/^https?:\/\//.test(h))).toEqual([]);
    const [incident] = app.sandboxes.servicenow!.state.incidents;
    expect(incident?.description).not.toContain('javascript:');
  });
});
