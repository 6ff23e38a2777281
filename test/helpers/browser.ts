import { existsSync } from 'node:fs';

/** Where Debian, Ubuntu and Google put a Chromium; `CHROMIUM_PATH` wins when set. */
const USUAL_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags for headless Chromium in a container or CI (no sandbox, no background traffic). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium the browser tests drive: `CHROMIUM_PATH`, else the first of the usual paths that exists. */
export function chromiumPath(): string | null {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : null;
  return USUAL_PATHS.find((p) => existsSync(p)) ?? null;
}

/**
 * Tests that drive a real Chromium (the /reports page) run whenever a browser is found; on a machine
 * without one they are skipped with one line saying how to install it. `.ci/run` installs it and sets
 * REQUIRE_BROWSER=1, so there a missing browser fails instead of skipping. The PDF needs no browser.
 */
export function browserTest(): typeof it {
  if (chromiumPath()) return it;
  const where = process.env.CHROMIUM_PATH ?? USUAL_PATHS.join(', ');
  if (process.env.REQUIRE_BROWSER === '1')
    return ((name: string) =>
      it(name, () => {
        throw new Error(`REQUIRE_BROWSER=1 but there is no Chromium at ${where}`);
      })) as typeof it;
  if (!warned) {
    warned = true;
    console.log(
      `Skipping the browser tests: no Chromium at ${where} (Debian: sudo apt-get install chromium, or set CHROMIUM_PATH).`,
    );
  }
  return it.skip;
}
let warned = false;
