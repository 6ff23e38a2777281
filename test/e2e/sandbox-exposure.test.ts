import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { startApp } from '../../src/main';
import type { Logger } from '../../src/ports/logger';

/** Loads a config the way `serve` does, with the given environment. */
function loaded(env: Record<string, string>, yaml = '{}\n') {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-exposure-'));
  writeFileSync(join(dir, 'itsm-bridge.yaml'), yaml);
  const r = loadConfig({
    file: join(dir, 'itsm-bridge.yaml'),
    cwd: dir,
    env: { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ...env },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return { value: r.value, dir };
}

const warnings: string[] = [];
const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };

describe('an exposed sandbox refuses to start (issue 12, finding 2)', () => {
  beforeEach(() => warnings.splice(0));

  it.each([
    ['HOST=0.0.0.0', { HOST: '0.0.0.0' }],
    ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ])('refuses with %s while the sandbox runs, naming what is active and the opt-in', async (_n, env) => {
    await expect(startApp({ loaded: loaded(env).value, logger })).rejects.toThrow(
      /refusing to start: .*the servicenow sandbox.*ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX=1/,
    );
  });

  it('names the published Slack signing secret when a real Slack token has no SLACK_SIGNING_SECRET', async () => {
    const { value } = loaded(
      { HOST: '0.0.0.0', SLACK_BOT_TOKEN: 'xoxb-real' },
      'teams: { enabled: false }\n',
    );
    await expect(startApp({ loaded: value, logger })).rejects.toThrow(/published Slack signing secret/);
  });

  it('starts with the opt-in and says so at warn level', async () => {
    const { value } = loaded({ NODE_ENV: 'production', ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX: '1' });
    const app = await startApp({ loaded: value, logger });
    try {
      expect(
        warnings.filter((w) => w.startsWith('INSECURE: sandbox active while NODE_ENV=production')),
      ).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('starts without a word on loopback, where only this machine reaches the sandbox', async () => {
    const app = await startApp({ loaded: loaded({}).value, logger });
    try {
      expect(warnings.filter((w) => w.startsWith('INSECURE'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
