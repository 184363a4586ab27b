import { defineConfig } from '@playwright/test';
import type { HostKind } from './test/e2e/terminal-fixture';

// Every end-to-end spec runs twice: against the headless host in Debian's Chromium
// (here and in CI) and against the Electron app (wherever its binary exists; where
// it does not, each test reports that it was skipped and why).
export default defineConfig<object, { host: HostKind }>({
  testDir: 'test/e2e',
  testMatch: '**/*.e2e.ts',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  projects: [
    { name: 'headless', use: { host: 'headless' } },
    { name: 'electron', use: { host: 'electron' } },
  ],
});
