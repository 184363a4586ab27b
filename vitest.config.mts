import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Integration tests spawn the built streaming process: build once before all.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration tests run real processes and sockets; keep files serial
    // in pairs so timing-sensitive fault tests are not starved.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
