import { execFileSync } from 'node:child_process';

/** Where a Debian package puts a binary; `command -v` so a local install elsewhere on PATH works too. */
export function findBinary(name: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Tests that drive a real monitoring daemon (Debian's `prometheus-alertmanager`, `icinga2`) run when the
 * binary is installed; elsewhere they are skipped with one line saying how to install it. `.ci/run`
 * installs both and sets REQUIRE_DAEMONS=1, so there a missing daemon fails instead of skipping.
 */
export function daemonTest(binary: string, aptPackage: string): typeof it {
  if (findBinary(binary)) return it;
  if (process.env.REQUIRE_DAEMONS === '1')
    return ((name: string) =>
      it(name, () => {
        throw new Error(`REQUIRE_DAEMONS=1 but ${binary} is not installed (apt-get install ${aptPackage})`);
      })) as typeof it;
  if (!warned.has(binary)) {
    warned.add(binary);
    console.log(`Skipping the ${binary} tests: not installed (Debian: sudo apt-get install ${aptPackage}).`);
  }
  return it.skip;
}
const warned = new Set<string>();
