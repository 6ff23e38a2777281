// Builds dist/ once before the suites that start the real CLI as a child process (crash test, e2e).
// Type errors do not stop the build here (tsc still emits); `npm run typecheck` in CI reports them.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

module.exports = async () => {
  const root = path.join(__dirname, '..');
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'pipe',
    });
  } catch (err) {
    if (!existsSync(path.join(root, 'dist', 'src', 'cli.js'))) throw err;
  }
};
