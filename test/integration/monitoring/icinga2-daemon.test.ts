import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { daemonTest } from '../../helpers/daemons';
import { startTestApp, WEBHOOK_TOKEN, type TestApp } from '../../helpers/test-app';

const SHIPPED = resolve(__dirname, '../../../integrations/monitoring/icinga2');
const icingaTest = daemonTest('icinga2', 'icinga2');

interface Incident {
  key: string;
  state: string;
  host: string | null;
  service: string | null;
  openedAt: string;
}

/**
 * A real Icinga 2 daemon (Debian's 2.13) in a temp dir, with the shipped itsm-bridge.conf and script
 * unchanged. Its checks read their exit code from a file per object, so a test decides when a host goes
 * DOWN or recovers. Both objects are problems from their very first check result: Icinga then passes
 * `last_state_change` 0 (Icinga/icinga2#10217), which used to be refused and lose the incident.
 */
describe('Icinga 2 daemon with the shipped notification commands', () => {
  let app: TestApp;
  let dir: string;
  let daemon: ChildProcess | null = null;
  let log = '';
  const setState = (object: string, code: number) => writeFileSync(join(dir, `${object}.state`), `${code}\n`);

  beforeAll(async () => {
    app = await startTestApp({ yaml: 'correlation: { groupWait: 0, resolveGrace: 0 }\n' });
    dir = mkdtempSync(join(tmpdir(), 'itsm-icinga2-'));
    for (const sub of ['scripts', 'lib', 'log', 'cache', 'run', 'spool']) mkdirSync(join(dir, sub));
    copyFileSync(
      join(SHIPPED, 'itsm-bridge-notification.py'),
      join(dir, 'scripts', 'itsm-bridge-notification.py'),
    );
    copyFileSync(join(SHIPPED, 'itsm-bridge.conf'), join(dir, 'itsm-bridge.conf'));
    writeFileSync(join(dir, 'itsm-bridge.token'), `${WEBHOOK_TOKEN}\n`, { mode: 0o600 });
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon?.once('exit', r));
    }
    await app?.close();
  });

  const incidents = async (): Promise<Incident[]> =>
    ((await app.api('/api/incidents')) as { incidents: Incident[] }).incidents;

  async function waitFor(what: string, ok: (list: Incident[]) => boolean): Promise<Incident[]> {
    for (let i = 0; i < 240; i++) {
      const list = await incidents();
      if (ok(list)) return list;
      if (daemon?.exitCode !== null) throw new Error(`icinga2 exited: ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}; icinga2 said:\n${log}\n${readLog()}`);
  }
  const readLog = () => {
    try {
      return readFileSync(join(dir, 'log', 'icinga2.log'), 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };

  icingaTest(
    'opens incidents for a host DOWN and a service UNKNOWN from their first check, then resolves them',
    async () => {
      setState('ber02-fs01', 2); // host check: 2 = DOWN
      setState('muc01-app01', 0);
      setState('muc01-app01!dms-sync', 3); // service check: 3 = UNKNOWN
      // Checks read their exit code from a file; "$$" is Icinga's escape for a literal "$".
      const check = (object: string) =>
        `[ "/bin/sh", "-c", "read s < ${join(dir, `${object}.state`)}; echo \\"state $$s\\"; exit $$s" ]`;
      writeFileSync(
        join(dir, 'icinga2.conf'),
        [
          'include <itl>',
          'object CheckerComponent "checker" {}',
          'object NotificationComponent "notification" {}',
          `object FileLogger "main-log" { path = "${join(dir, 'log', 'icinga2.log')}"; severity = "notice" }`,
          `include "${join(dir, 'itsm-bridge.conf')}"`,
          'template Host "branch-host" {',
          '  max_check_attempts = 1; check_interval = 1s; retry_interval = 1s',
          `  vars.itsm_bridge_url = "${app.url}"`,
          `  vars.itsm_bridge_token_file = "${join(dir, 'itsm-bridge.token')}"`,
          '}',
          `object CheckCommand "ber02-fs01-check" { command = ${check('ber02-fs01')} }`,
          `object CheckCommand "muc01-app01-check" { command = ${check('muc01-app01')} }`,
          `object CheckCommand "dms-sync-check" { command = ${check('muc01-app01!dms-sync')} }`,
          'object Host "ber02-fs01" {',
          '  import "branch-host"; check_command = "ber02-fs01-check"; address = "10.32.1.15"',
          '  vars.branch = "ber-02"; vars.os = "linux"; vars.role = "fileserver"',
          '}',
          // Token from the environment instead of a file: the conf must leave --token-file out.
          'object Host "muc01-app01" {',
          '  import "branch-host"; check_command = "muc01-app01-check"',
          '  vars.branch = "muc-01"; vars.itsm_bridge_token_file = ""',
          '}',
          'object Service "dms-sync" {',
          '  host_name = "muc01-app01"; check_command = "dms-sync-check"',
          '  max_check_attempts = 1; check_interval = 1s; retry_interval = 1s',
          '}',
          '',
        ].join('\n'),
      );
      const me = userInfo();
      daemon = spawn(
        'icinga2',
        [
          ...['daemon', '-c', join(dir, 'icinga2.conf')],
          `-DConfigDir=${dir}`,
          `-DRunAsUser=${me.username}`,
          `-DRunAsGroup=${execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()}`,
          `-DDataDir=${join(dir, 'lib')}`,
          `-DLogDir=${join(dir, 'log')}`,
          `-DCacheDir=${join(dir, 'cache')}`,
          `-DSpoolDir=${join(dir, 'spool')}`,
          `-DInitRunDir=${join(dir, 'run')}`,
          `-DPidPath=${join(dir, 'run', 'icinga2.pid')}`,
        ],
        { env: { ...process.env, ITSM_BRIDGE_TOKEN: WEBHOOK_TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      daemon.stdout?.on('data', (d) => (log = (log + String(d)).slice(-8000)));
      daemon.stderr?.on('data', (d) => (log = (log + String(d)).slice(-8000)));

      const open = await waitFor(
        'the two first-check problems',
        (list) => list.filter((i) => i.state === 'open').length === 2,
      );
      const byHost = new Map(open.map((i) => [i.service ? `${i.host}!${i.service}` : i.host, i]));
      expect([...byHost.keys()].sort()).toEqual(['ber02-fs01', 'muc01-app01!dms-sync']);
      // last_state_change 0 fell back to the notification time, not 1970.
      for (const inc of open) expect(Date.parse(inc.openedAt)).toBeGreaterThan(Date.parse('2020-01-01'));

      setState('ber02-fs01', 0);
      setState('muc01-app01!dms-sync', 0);
      const done = await waitFor('both recoveries', (list) => list.every((i) => i.state === 'resolved'));
      expect(done).toHaveLength(2);
      expect(readLog()).not.toContain(WEBHOOK_TOKEN);
    },
    90_000,
  );
});
