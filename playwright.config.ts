// End-to-end tests: the real renderer in the machine's own Chromium, Chrome or Edge (found by
// scripts/find-browser.cjs), talking to the real services through the test bridge (test/bridge/server.ts). `npm run build:bridge` (part of `npm test`) builds both first.
import { defineConfig } from '@playwright/test'
import { browserPathOrExit } from './scripts/find-browser.cjs'

const port = Number(process.env.STEPWISE_BRIDGE_PORT ?? 4174)

export default defineConfig({
  testDir: 'test/e2e',
  // It rewrites docs/screenshots: `npm run screenshots` runs it (playwright.screenshots.config.ts).
  testIgnore: '**/screenshots.spec.ts',
  // One bridge, one database: the specs reset it and run one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: browserPathOrExit(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  },
  webServer: {
    command: `node out/bridge-server/server.cjs --port ${port}`,
    url: `http://127.0.0.1:${port}/__test/state`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe'
  }
})
