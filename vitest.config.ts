import { configDefaults, defineConfig } from 'vitest/config'

// Two projects: unit and rule tests run fast, in-process, with no registry; the integration tests
// run the real CLI in subprocesses against a local Verdaccio that test/helpers/registry-setup.ts
// starts (and only when integration test files are selected).
export default defineConfig({
  test: {
    // Time for the global teardown (stopping Verdaccio) when Vitest closes.
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/**'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/registry-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
