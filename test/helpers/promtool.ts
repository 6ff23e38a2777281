import { spawnSync } from 'node:child_process';

/** `promtool` on PATH (Debian: the prometheus package), or null. */
const found = (): boolean => spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Tests that run Prometheus' own rule checker: skipped with one line where promtool is not installed;
 * `.ci/run` installs it and sets REQUIRE_PROMTOOL=1, so there a missing promtool fails instead.
 */
export function promtoolTest(): typeof it {
  if (found()) return it;
  if (process.env.REQUIRE_PROMTOOL === '1')
    return ((name: string) =>
      it(name, () => {
        throw new Error('REQUIRE_PROMTOOL=1 but promtool is not on PATH');
      })) as typeof it;
  console.log('Skipping the promtool tests: promtool not found (Debian: sudo apt-get install prometheus).');
  return it.skip;
}
