import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startChild, waitExit } from '../helpers/child-server';
import { runCli } from '../helpers/run-cli';
import { testDatabase } from '../helpers/test-database';

const TOKEN = 'cli-test-token-1234567890';

const cli = runCli;

describe('the itsm-bridge CLI (built, run as a user would)', () => {
  it('check-config accepts the shipped example and lists every problem of a broken file with hints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-cli-'));
    const ok = await cli(['check-config', join(__dirname, '..', '..', 'itsm-bridge.example.yaml')], {}, dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/9 runbooks OK/);
    writeFileSync(
      join(dir, 'bad.yaml'),
      'correlation:\n  resolveGrase: 5m\nrouting:\n  rules:\n    - name: x\n      match: [{}]\n      runbook: no-such-runbook\n',
    );
    const bad = await cli(['check-config', 'bad.yaml'], {}, dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('correlation.resolveGrase: unknown key — did you mean "resolveGrace"?');
    writeFileSync(
      join(dir, 'bad2.yaml'),
      'routing:\n  rules:\n    - name: x\n      match: [{}]\n      runbook: no-such-runbook\n',
    );
    const bad2 = await cli(['check-config', 'bad2.yaml'], {}, dir);
    expect(bad2.code).toBe(1);
    expect(bad2.stderr).toContain('routing.rules.0.runbook: no runbook with id "no-such-runbook"');
  });

  it('alert sends firing and resolve from a shell, audit verify checks the chain, replay re-queues parked commands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-cli-'));
    writeFileSync(join(dir, 'itsm-bridge.yaml'), 'correlation: { resolveGrace: 0, groupWait: 0 }\n');
    const database = await testDatabase(dir, 'db.sqlite');
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN: TOKEN,
      API_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
    };
    const server = await startChild(env, dir);
    try {
      const clientEnv = { ITSM_URL: `http://127.0.0.1:${port}`, ITSM_TOKEN: TOKEN };
      const fire = await cli(
        [
          'alert',
          '--dedup-key',
          'edi-orders',
          '--summary',
          'No order file for 30 min',
          '--severity',
          'major',
          '--branch',
          'muc-01',
          '--label',
          'kind=interface',
        ],
        clientEnv,
        dir,
      );
      expect(fire.code).toBe(0);
      expect(JSON.parse(fire.stdout)).toMatchObject({ accepted: 1 });
      const bad = await cli(
        ['alert', '--dedup-key', 'x', '--summary', 's', '--severity', 'catastrophic'],
        clientEnv,
        dir,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('severity');
      const noToken = await cli(
        ['alert', '--dedup-key', 'x', '--summary', 's'],
        { ITSM_URL: clientEnv.ITSM_URL, ITSM_TOKEN: '', WEBHOOK_TOKEN: '' },
        dir,
      );
      expect(noToken.code).toBe(2);
      const resolve = await cli(
        ['alert', '--dedup-key', 'edi-orders', '--summary', 'Files flowing again', '--resolve'],
        clientEnv,
        dir,
      );
      expect(resolve.code).toBe(0);
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      server.child.kill('SIGTERM');
      await waitExit(server.child);
    }
    const verify = await cli(['audit', 'verify'], env, dir);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit log OK: \d+ entries/);
    // Tamper with one row: verification must fail and name it.
    await database.query("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1");
    // Park a command as a permanent remote error would, then replay it.
    await database.query(
      "UPDATE outbox SET state = 'parked', last_error = '400 invalid assignment_group' WHERE id = (SELECT min(id) FROM outbox)",
    );
    const tampered = await cli(['audit', 'verify'], env, dir);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('BROKEN at entry 1');
    const replay = await cli(['replay'], env, dir);
    expect(replay.stdout).toContain('1 parked command(s) re-queued');
    await database.drop();
  }, 60_000);
});
