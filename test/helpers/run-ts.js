// Runs a TypeScript file of this repository in a plain node child process, compiled on require by
// @swc/core as jest compiles the tests (no type check): `node test/helpers/run-ts.js <file.ts> [args]`.
'use strict';
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const swc = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  module._compile(code, filename);
};

const file = process.argv[2];
if (!file) throw new Error('usage: node test/helpers/run-ts.js <file.ts> [args]');
require(resolve(file));
