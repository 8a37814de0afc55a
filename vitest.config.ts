import { defineConfig } from 'vitest/config';

// One vitest run for the whole tree. Tests that need real servers read
// AIRDESK_TEST_* variables set by tests/run.sh and skip, saying why, without them.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
