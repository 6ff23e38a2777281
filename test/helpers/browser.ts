import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../../src/report/render-pdf';

/**
 * Tests that drive a real Chromium (the /reports page, the PDF the server renders with it) run when
 * the browser is installed at the path the server uses; on a machine without it they are skipped with
 * one line saying how to install it. `.ci/run` installs it and sets REQUIRE_BROWSER=1, so there a missing
 * browser fails instead of skipping.
 */
export function browserTest(): typeof it {
  if (existsSync(CHROMIUM_PATH)) return it;
  if (process.env.REQUIRE_BROWSER === '1')
    return ((name: string) =>
      it(name, () => {
        throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM_PATH}`);
      })) as typeof it;
  if (!warned) {
    warned = true;
    console.log(
      `Skipping the browser tests: no Chromium at ${CHROMIUM_PATH} (Debian: sudo apt-get install chromium).`,
    );
  }
  return it.skip;
}
let warned = false;
