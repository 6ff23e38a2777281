import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', '..', 'integrations', 'teams', 'app-package');
const APP_ID = '00000000-0000-4000-8000-0000000000a1';

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (buf: Buffer) => ({
  png: buf.subarray(1, 4).toString(),
  width: buf.readUInt32BE(16),
  height: buf.readUInt32BE(20),
});

function build(env: Record<string, string>) {
  const out = join(mkdtempSync(join(tmpdir(), 'teams-app-')), 'teams-app.zip');
  const run = spawnSync(process.execPath, [join(DIR, 'build.js'), '--out', out], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { out, ...run };
}

describe('Teams app package', () => {
  it('ships real icons of the sizes Teams requires', () => {
    expect(pngSize(readFileSync(join(DIR, 'color.png')))).toEqual({ png: 'PNG', width: 192, height: 192 });
    expect(pngSize(readFileSync(join(DIR, 'outline.png')))).toEqual({ png: 'PNG', width: 32, height: 32 });
  });

  it('builds a flat zip that unzip lists and tests, with the placeholders filled', () => {
    const run = build({ MICROSOFT_APP_ID: APP_ID, BOT_HOST: 'https://bridge.example.com/' });
    expect(run.status).toBe(0);
    const listing = execFileSync('unzip', ['-l', run.out], { encoding: 'utf8' });
    expect(listing).toMatch(/manifest\.json/);
    expect(listing).toMatch(/color\.png/);
    expect(listing).toMatch(/outline\.png/);
    expect(listing).toMatch(/3 files/);
    expect(execFileSync('unzip', ['-t', run.out], { encoding: 'utf8' })).toContain('No errors detected');
    const text = execFileSync('unzip', ['-p', run.out, 'manifest.json'], { encoding: 'utf8' });
    expect(text).not.toContain('{{');
    const manifest = JSON.parse(text);
    expect(manifest).toMatchObject({
      manifestVersion: '1.19',
      id: APP_ID,
      validDomains: ['bridge.example.com'],
      developer: { websiteUrl: 'https://bridge.example.com/' },
      bots: [{ botId: APP_ID, scopes: ['team', 'personal', 'groupChat'] }],
    });
    const commands = manifest.bots[0].commandLists[0].commands as { title: string; description: string }[];
    expect(commands.map((c) => c.title)).toEqual(['ack', 'resolve', 'note', 'list', 'show', 'help']);
    // Manifest limits: short description ≤ 80, command title ≤ 32 and description ≤ 128 characters.
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
    const icon = execFileSync('unzip', ['-p', run.out, 'color.png']);
    expect(icon.equals(readFileSync(join(DIR, 'color.png')))).toBe(true);
  });

  it.each([
    [{ BOT_HOST: 'bridge.example.com' }, 'MICROSOFT_APP_ID'],
    [{ MICROSOFT_APP_ID: 'not-a-guid', BOT_HOST: 'bridge.example.com' }, 'MICROSOFT_APP_ID'],
    [{ MICROSOFT_APP_ID: APP_ID }, 'BOT_HOST'],
    [{ MICROSOFT_APP_ID: APP_ID, BOT_HOST: 'bridge.example.com/"x' }, 'BOT_HOST'],
  ])('refuses %j, naming %s', (env, name) => {
    const run = build(env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(name);
  });
});
