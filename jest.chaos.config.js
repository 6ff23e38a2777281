// The chaos suite (`npm run test:chaos`): long, so `npm test` does not pick it up (*.chaos.ts, not
// *.test.ts). CHAOS_KILLS=50 is CI's short run (.ci/run); the default of 200 kills is the long run.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/chaos/**/*.chaos.ts'],
  testTimeout: 20 * 60 * 1000,
  maxWorkers: 1,
};
