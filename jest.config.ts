import type { Config } from 'jest';

/**
 * One jest config for the whole workspace.
 *
 * Unit tests import `@weir/<pkg>` straight from `src/` through moduleNameMapper, so they never
 * need a build. End-to-end tests (apps/weir/test) start the built daemon, which is why
 * `npm test` runs `tsc -b` first: cluster workers and piscina task files load compiled JS.
 */
const config: Config = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/apps/*/test/**/*.test.ts',
    '<rootDir>/tools/*/test/**/*.test.ts',
  ],
  moduleNameMapper: {
    '^@weir/cluster/(primary|worker)$': '<rootDir>/packages/cluster/src/$1.ts',
    '^@weir/([a-z]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tools/jest/tsconfig.json' }],
  },
  setupFilesAfterEnv: ['<rootDir>/tools/jest/console-fail.ts'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testTimeout: 30_000,
  maxWorkers: 2,
};

export default config;
