import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';

const chromium = await findChromium();
const port = Number(process.env.E2E_PORT ?? 8799);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // The studio and its simulator are one shared process; two workers keep the 2-core machine busy
  // without starving the simulator's renders.
  workers: process.env.CI ? 2 : 2,
  retries: process.env.CI ? 1 : 0,
  use: {
    baseURL,
    trace: 'on-first-retry',
    acceptDownloads: true,
    ...devices['Desktop Chrome'],
    launchOptions: { executablePath: chromium.path, args: CHROMIUM_ARGS },
  },
  webServer: {
    // A fresh data dir and the built-in simulator (no keys), with brisk task phases for tests.
    command: 'node scripts/e2e-server.mjs',
    cwd: '..',
    url: `${baseURL}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORT: String(port), HOST: '127.0.0.1' },
  },
});
