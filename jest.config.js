/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
  // Both cores: jest's default (cores - 1) runs one file at a time on this 2-core machine; the
  // property tests (two files, ~68 s CPU) then take ~65 s wall instead of ~39 s.
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/setup-env.js'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
