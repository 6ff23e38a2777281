import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceNowEmulator } from '../../../integrations/sandbox/servicenow/emulator';
import { reportSources } from '../../../src/composition/report-sources';
import { loadConfig } from '../../../src/config/load-config';

function loaded(yaml: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-sources-'));
  const file = join(dir, 'itsm-bridge.yaml');
  writeFileSync(file, yaml);
  const r = loadConfig({ file, env, cwd: dir });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

describe('report sources from the configuration', () => {
  it('reads ServiceNow with OAuth credentials from the config (no longer Basic only)', async () => {
    const emulator = createServiceNowEmulator();
    const server = await emulator.listen(0);
    try {
      const config = loaded(
        [
          'servicenow:',
          `  instanceUrl: ${server.url}`,
          '  auth: { type: oauth, clientId: itsm-bridge, clientSecret: "${SN_CLIENT_SECRET}",',
          '          username: itsm.bridge, password: "${SN_PASSWORD}" }',
        ].join('\n'),
        { SN_CLIENT_SECRET: 'sandbox', SN_PASSWORD: 'sandbox' },
      );
      const source = reportSources(config).servicenow!();
      const numbers: string[] = [];
      for await (const h of source.tickets({ from: new Date(0), to: new Date() })) numbers.push(h.number);
      expect(numbers).toEqual([]);
      expect(emulator.state.callLog.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
        'POST /oauth_token.do 200',
        'GET /api/now/table/sys_user_group 200',
        'GET /api/now/table/incident 200',
      ]);
    } finally {
      await server.close();
    }
  });

  it('offers ServiceNow and Jira only for a configured instance with its credentials set', () => {
    const none = reportSources(loaded('{}'));
    expect(Object.keys(none)).toEqual(['store']);
    const noSecret = reportSources(
      loaded(
        'servicenow: { instanceUrl: "https://acme.service-now.com" }\njira: { baseUrl: "https://acme.atlassian.net" }',
      ),
    );
    expect(Object.keys(noSecret)).toEqual(['store']);
    const both = reportSources(
      loaded(
        [
          'servicenow:',
          '  instanceUrl: https://acme.service-now.com',
          '  auth: { type: basic, username: itsm, password: "${SN_PASSWORD}" }',
          'jira:',
          '  baseUrl: https://acme.atlassian.net',
          '  auth: { type: basic, apiToken: "${JIRA_TOKEN}" }',
        ].join('\n'),
        { SN_PASSWORD: 'x', JIRA_TOKEN: 'y' },
      ),
    );
    expect(Object.keys(both).sort()).toEqual(['jira', 'servicenow', 'store']);
    // Data Center has no /rest/api/3/search/jql, which the Jira source reads.
    const dataCenter = reportSources(
      loaded(
        'jira: { baseUrl: "https://jira.acme.example", flavour: datacenter, auth: { type: pat, token: "${T}" } }',
        { T: 'z' },
      ),
    );
    expect(dataCenter.jira).toBeUndefined();
  });
});
