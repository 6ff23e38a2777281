#!/usr/bin/env node
// Compiles the TypeScript into dist/ and marks a successful build with dist/.build-stamp.
//   node scripts/build.js             always compile (npm run build)
//   node scripts/build.js --if-stale  compile only when a source is newer than the stamp (npm start, prepare)
// `npm start` used to run tsc on every start (about 20 s on a busy machine); comparing modification
// times takes milliseconds. The stamp is written only when tsc succeeded: tsc also emits on type errors,
// so the age of the .js files alone would call a broken build current.
'use strict';
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
// What tsconfig.build.json compiles, plus the files that change how it compiles.
const INPUT_DIRS = ['src', 'handlers', 'integrations', 'bench'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];

/** Newest modification time (ms) of the .ts files under `dir`, recursively. */
function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Newest modification time (ms) of everything the build reads. */
function newestInput() {
  const dirs = INPUT_DIRS.map((d) => join(ROOT, d)).filter((d) => existsSync(d));
  const files = INPUT_FILES.map((f) => join(ROOT, f)).filter((f) => existsSync(f));
  return Math.max(0, ...dirs.map(newestTs), ...files.map((f) => statSync(f).mtimeMs));
}

function isCurrent() {
  if (!existsSync(STAMP) || !existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) return false;
  // One millisecond of slack: utimes stores the stamp's time with less precision than it was given.
  return newestInput() <= statSync(STAMP).mtimeMs + 1;
}

function typescript() {
  try {
    return require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    return null;
  }
}

function main(argv) {
  const ifStale = argv.includes('--if-stale');
  if (ifStale && isCurrent()) return 0;
  const tsc = typescript();
  if (!tsc) {
    // A production install (npm ci --omit=dev, the Dockerfile) has no compiler and ships dist/ instead.
    if (existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) return 0;
    process.stderr.write('build: typescript is not installed and dist/ is missing; run "npm ci" first\n');
    return 1;
  }
  if (ifStale) process.stderr.write('build: sources changed since the last build; compiling (tsc)…\n');
  // The stamp carries the newest input's time as read BEFORE compiling: a file saved during the build
  // is newer and triggers the next one.
  const inputs = Math.floor(newestInput()) / 1000;
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    return 1;
  }
  writeFileSync(STAMP, 'written by scripts/build.js after a successful tsc run\n');
  utimesSync(STAMP, inputs, inputs);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
