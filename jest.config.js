/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Integration tests start real servers and child processes; keep them from starving each other on 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.js',
};
