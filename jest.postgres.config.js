// The end-to-end suites again on PostgreSQL (`.ci/run`, with TEST_STORE=postgres and TEST_DATABASE_URL):
// every suite under test/e2e, so a new one runs there without anyone adding it. A suite that cannot or
// need not run on PostgreSQL says so below, with why; this is the only place that leaves one out.
const base = require('./jest.config');

/** Suite file name → why it is not run again on PostgreSQL. */
const NOT_ON_POSTGRES = {
  'two-instances.test.ts': 'runs on PostgreSQL in `npm test` already (two instances need a shared database)',
  'leader-jobs.test.ts': 'runs on PostgreSQL in `npm test` already (two instances need a shared database)',
  'sandbox-exposure.test.ts':
    'the server refuses to start before the store matters; nothing stored is checked',
  'correlation-thread.test.ts':
    'the correlation thread is SQLite-only (PostgreSQL correlates on the event loop); every other suite runs with the thread on SQLite',
};

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: ['/node_modules/', ...Object.keys(NOT_ON_POSTGRES).map((f) => `/test/e2e/${f}$`)],
};
