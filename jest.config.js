/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // jose 6 (used by the Agents SDK's JWT validation through jwks-rsa) is ESM-only; Node 20 loads it
    // natively, jest's module registry cannot, so jest compiles it to CommonJS like our own code.
    '^.+/node_modules/jose/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // Integration tests start real servers and child processes; keep them from starving each other on 2 cores.
  maxWorkers: 2,
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/global-setup.js',
};
