import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { daemonTest } from '../../helpers/daemons';
import { freePort } from '../../helpers/child-server';
import { startTestApp, WEBHOOK_TOKEN, type TestApp } from '../../helpers/test-app';

const BINARY = 'prometheus-alertmanager';
const amTest = daemonTest(BINARY, 'prometheus-alertmanager');
const DOC = resolve(__dirname, '../../../docs/monitoring.md');

interface Incident {
  key: string;
  state: string;
  branch: string | null;
  alertCount: number;
}
type Doc = {
  route: Record<string, unknown>;
  receivers: { webhook_configs: Record<string, unknown>[] }[];
};

/** The `alertmanager.yml` block of docs/monitoring.md, as shipped to users. */
function documentedConfig(): Doc {
  const md = readFileSync(DOC, 'utf8');
  const block = /`alertmanager\.yml`:\s*```yaml\n([\s\S]*?)```/.exec(md)?.[1];
  if (!block) throw new Error('docs/monitoring.md has no alertmanager.yml block');
  return parse(block) as Doc;
}

/** "0.25.0" from `alertmanager, version 0.25.0 (branch: …)`. */
function version(): [number, number] {
  const out = execFileSync(BINARY, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /version (\d+)\.(\d+)/.exec(out);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/**
 * A real Alertmanager (Debian's package) on loopback, configured with the documented `alertmanager.yml`
 * (only the URL, token file and timings changed), receiving alerts on its own API as Prometheus would
 * post them, and delivering to the bridge's webhook.
 */
describe('Prometheus Alertmanager with the documented configuration', () => {
  let app: TestApp;
  let am: ChildProcess | null = null;
  let log = '';

  afterAll(async () => {
    if (am && am.exitCode === null) {
      am.kill('SIGTERM');
      await new Promise((r) => am?.once('exit', r));
    }
    await app?.close();
  });

  amTest(
    'turns a firing group into one incident and resolves it when the alerts end',
    async () => {
      app = await startTestApp({ yaml: 'correlation: { groupWait: 0, resolveGrace: 0 }\n' });
      const dir = mkdtempSync(join(tmpdir(), 'itsm-am-'));
      writeFileSync(join(dir, 'itsm-bridge.token'), `${WEBHOOK_TOKEN}\n`, { mode: 0o600 });
      const config = documentedConfig();
      // Seconds instead of minutes, so the test sees the group and its resolution quickly.
      Object.assign(config.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
      const hook = config.receivers[0]!.webhook_configs[0]!;
      hook.url = `${app.url}/webhooks/alertmanager`;
      (hook.http_config as { authorization: Record<string, string> }).authorization.credentials_file = join(
        dir,
        'itsm-bridge.token',
      );
      // `timeout` exists from 0.28 on (the documented comment says so); Debian 12 ships 0.25, which refuses it.
      const [major, minor] = version();
      if (major === 0 && minor < 28) delete hook.timeout;
      writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));

      const port = await freePort();
      am = spawn(
        BINARY,
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--cluster.listen-address=',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      am.stdout?.on('data', (d) => (log = (log + String(d)).slice(-8000)));
      am.stderr?.on('data', (d) => (log = (log + String(d)).slice(-8000)));
      const api = `http://127.0.0.1:${port}/api/v2`;
      await waitUntil('alertmanager ready', async () => (await fetch(`${api}/status`)).ok);

      const alert = (instance: string, endsAt?: string) => ({
        labels: { alertname: 'InstanceDown', branch: 'muc-01', instance, severity: 'critical' },
        annotations: { summary: `${instance} down` },
        generatorURL: 'http://prometheus.example/graph',
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        ...(endsAt ? { endsAt } : {}),
      });
      const postAlerts = async (alerts: unknown[]) => {
        const res = await fetch(`${api}/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alerts),
        });
        expect(res.status).toBe(200);
      };
      const instances = ['muc01-app01:9100', 'muc01-db01:9100', 'muc01-fs01:9100'];
      await postAlerts(instances.map((i) => alert(i)));

      const incidents = async () =>
        ((await app.api('/api/incidents')) as { incidents: Incident[] }).incidents;
      let open: Incident[] = [];
      await waitUntil('one open incident with three alerts', async () => {
        open = (await incidents()).filter((i) => i.state === 'open');
        return open.length === 1 && open[0]!.alertCount === 3;
      });
      expect(open[0]).toMatchObject({ branch: 'muc-01', alertCount: 3 });

      // Ending the alerts (as Prometheus does once the rule stops firing) sends a resolved notification.
      await postAlerts(instances.map((i) => alert(i, new Date(Date.now() - 1000).toISOString())));
      await waitUntil('the incident resolved', async () => {
        const list = await incidents();
        return list.length === 1 && list[0]!.state === 'resolved';
      });
      expect(log).not.toContain(WEBHOOK_TOKEN);
    },
    90_000,
  );

  async function waitUntil(what: string, ok: () => Promise<boolean>) {
    for (let i = 0; i < 240; i++) {
      if (am?.exitCode !== null) throw new Error(`alertmanager exited: ${log}`);
      try {
        if (await ok()) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}; alertmanager said:\n${log}`);
  }
});
