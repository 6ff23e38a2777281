import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load-config';
import { onCallSchedules } from '../../../src/config/oncall';
import { onCallAt } from '../../../src/core/oncall/on-call-at';

function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-cfg-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env: {}, cwd: dir });
}

const LAYER = `
      - length: 1w
        handover: { day: monday, time: "09:00" }
        start: 2026-01-05
        people: [{ name: Anna, slackUser: U0ANNA0001 }, { name: Ben }]`;

describe('oncall config', () => {
  it('the shipped example has weekly Monday 09:00 Berlin rotations for infra and app', () => {
    const r = loadConfig({ file: join(__dirname, '..', '..', '..', 'itsm-bridge.example.yaml'), env: {} });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const schedules = onCallSchedules(r.value.config.oncall);
    expect(Object.keys(schedules)).toEqual(['infra', 'app']);
    expect(schedules.infra?.layers[0]).toMatchObject({
      lengthSeconds: 604800,
      handoverDay: 1,
      handoverTime: '09:00',
    });
    // 2026-12-24 16:00 CET: the override puts Petra on call in Jonas's week.
    expect(onCallAt(schedules.infra!, Date.parse('2026-12-24T14:59:00Z'))?.name).toBe('Jonas Weber');
    expect(onCallAt(schedules.infra!, Date.parse('2026-12-24T15:00:00Z'))?.name).toBe('Petra Lang');
  });

  it('resolves an override given by name to the layer person', () => {
    const r = load(`oncall:
  app:
    layers:${LAYER}
    overrides: [{ person: Anna, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }]
`);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(onCallSchedules(r.value.config.oncall).app?.overrides[0]).toEqual({
      person: { name: 'Anna', slackUser: 'U0ANNA0001' },
      from: Date.parse('2026-03-01T00:00:00Z'),
      to: Date.parse('2026-03-02T00:00:00Z'),
    });
  });

  it.each([
    [
      'a typo in a layer key, with a hint',
      `oncall:\n  app:\n    layers:\n      - lenght: 1w\n        handover: { time: "09:00" }\n        start: 2026-01-05\n        people: [{ name: A }]\n`,
      'oncall.app.layers.0.lenght',
      'did you mean "length"?',
    ],
    [
      'an unknown provider',
      `oncall:\n  ap:\n    layers:${LAYER}\n`,
      'oncall.ap',
      'unknown provider "ap"; known: infra, app',
    ],
    [
      'a handover day on a daily rotation',
      `oncall:\n  app:\n    layers:\n      - length: 1d\n        handover: { day: monday, time: "09:00" }\n        start: 2026-01-05\n        people: [{ name: A }]\n`,
      'oncall.app.layers.0.handover.day',
      'a handover day needs a length of whole weeks (1w, 2w, …)',
    ],
    [
      'a malformed handover time',
      `oncall:\n  app:\n    layers:\n      - length: 12h\n        handover: { time: "9:00" }\n        start: 2026-01-05\n        people: [{ name: A }]\n`,
      'oncall.app.layers.0.handover.time',
      'use HH:MM, e.g. 09:00',
    ],
    [
      'an override naming nobody of the layers',
      `oncall:\n  app:\n    layers:${LAYER}\n    overrides: [{ person: Zoe, from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }]\n`,
      'oncall.app.overrides.0.person',
      '"Zoe" is in no layer; known: Anna, Ben (or give the person in full)',
    ],
    [
      'an override ending before it starts',
      `oncall:\n  app:\n    layers:${LAYER}\n    overrides: [{ person: Ben, from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z" }]\n`,
      'oncall.app.overrides.0.to',
      'must be after from',
    ],
    [
      'an unknown time zone',
      `oncall:\n  app:\n    timeZone: Europe/Munich\n    layers:${LAYER}\n`,
      'oncall.app.timeZone',
      'not an IANA time zone (e.g. Europe/Berlin)',
    ],
  ])('rejects %s', (_name, yaml, path, text) => {
    const r = load(yaml);
    expect(r.ok).toBe(false);
    const problem = !r.ok ? r.problems.find((p) => p.path === path) : undefined;
    expect([problem?.message, problem?.hint]).toContain(text);
  });
});
