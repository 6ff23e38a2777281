import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promtoolTest } from '../../helpers/promtool';

const ROOT = join(__dirname, '..', '..', '..');
const promtool = (...args: string[]) => {
  const r = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
};
const withPromtool = promtoolTest();

describe('docs/prometheus-rules.yml (the alert rules for the bridge itself)', () => {
  withPromtool('is valid for Prometheus (promtool check rules)', () => {
    const r = promtool('check', 'rules', 'docs/prometheus-rules.yml');
    expect(r.output).toContain('SUCCESS: 5 rules found');
    expect(r.status).toBe(0);
  });

  withPromtool(
    'fires on parked commands, correlation lag, a stuck lane and a down instance (promtool test rules)',
    () => {
      const r = promtool('test', 'rules', 'test/fixtures/prometheus/rules-test.yml');
      expect(r.output).toContain('SUCCESS');
      expect(r.status).toBe(0);
    },
  );
});
