// Builds dist/ before the suites that start the real CLI as a child process (crash test, e2e), unless
// it is current (scripts/build.js compares it with the sources). Type errors do not stop the build here
// (tsc still emits); `npm run typecheck` in CI reports them.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

module.exports = async () => {
  const root = path.join(__dirname, '..');
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js'), '--if-stale'], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (err) {
    if (!existsSync(path.join(root, 'dist', 'src', 'cli.js'))) throw err;
  }
};
