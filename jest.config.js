/**
 * Tests run against real Kafka, PostgreSQL and Redis; tests/helpers/globalSetup.ts prepares the run.
 * Two projects: the suite, two files at a time, and the files that bound a time (`*.alone.test.ts`), run
 * before or after it one at a time (tests/helpers/aloneRunner.ts): on two cores, beside another test file, a
 * change under load was served 105–130 ms after its commit; alone, under 50 ms (docs/development.md).
 */
const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/tests/helpers/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/helpers/globalTeardown.ts',
};

module.exports = {
  testTimeout: 60_000,
  maxWorkers: 2,
  projects: [
    { ...project, displayName: 'suite', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '\\.alone\\.test\\.ts$'] },
    { ...project, displayName: 'alone', testMatch: ['**/*.alone.test.ts'], runner: '<rootDir>/tests/helpers/aloneRunner.ts' },
  ],
};
