import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Programs run as separate processes; a cold translation of a large image takes seconds.
    testTimeout: 120_000,
    // Translate the big images once, before suites run side by side and each would translate them.
    globalSetup: ['tests/support/warm-cache.ts'],
    setupFiles: ['tests/support/yield.ts'],
  },
});
