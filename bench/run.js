#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs dist/bench/<name>.js (built by `npm run build`), which exports main(argv).
// Each benchmark prints its figures and rewrites its own section of docs/benchmarks.md.
const path = require('node:path');
const fs = require('node:fs');

const [name, ...args] = process.argv.slice(2);
const dir = path.join(__dirname, '..', 'dist', 'bench');
const available = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.js') && !f.startsWith('lib'))
      .map((f) => f.slice(0, -3))
  : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args]`);
  process.exit(2);
}
require(path.join(dir, `${name}.js`))
  .main(args)
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
