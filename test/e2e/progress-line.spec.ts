// A step drawing a progress bar on stderr (tqdm's way: the line redrawn with `\r`) shows in the run
// panel as one line that updates in place, then stays as its final text between the lines around it.
import { expect, test } from '@playwright/test'
import { createWorkflow, openApp, pageErrors, resetBridge, runStep, save, script, setCode, shot, stepItem } from './helpers'

const BAR = script(`
print("starting download", file=sys.stderr, flush=True)
for i in range(100):
    print(f"\\r{i}%", end="", file=sys.stderr, flush=True)
    time.sleep(0.05)
print("", file=sys.stderr, flush=True)
print("download finished", file=sys.stderr, flush=True)
print(json.dumps({"ok": True}))
`)

test.beforeEach(async ({ request }) => {
  await resetBridge(request)
})

test('a progress bar is one updating line in the live log, and its final text stays', async ({ page }) => {
  const errors = pageErrors(page)
  await openApp(page)
  await createWorkflow(page, 'Download')
  await stepItem(page, 'Step_1').click()
  await setCode(page, BAR)
  await save(page)
  await page.keyboard.press('F5')
  await expect(runStep(page, 'Step_1')).toHaveAttribute('data-status', 'RUNNING')

  const log = page.getByTestId('log-view')
  const lines = log.getByTestId('log-line')
  // The text of each row, without its line number.
  const texts = () => log.locator('[data-testid="log-line"] > :not(.log-no)').allTextContents()
  const bar = log.locator('[data-testid="log-line"][data-progress]')
  await expect(bar).toHaveCount(1)
  // Sampled while it runs: always the first line plus one bar line holding a single percentage, moving on.
  const seen = new Set<string>()
  for (let i = 0; i < 8 && (await bar.count()) > 0; i++) {
    const now = await texts()
    // The bar may end between the count above and this read: then the step has moved past it.
    if (now.includes('download finished')) break
    const percent = now.filter((t) => /\d+%/.test(t))
    if (percent.length) {
      expect(percent).toHaveLength(1)
      expect(percent[0]).toMatch(/^\d{1,2}%$/)
      expect(now).toEqual(['starting download', percent[0]])
      seen.add(percent[0])
    }
    if (i === 2) await shot(page, 'progress-line')
    await page.waitForTimeout(300)
  }
  expect(seen.size).toBeGreaterThan(1)

  await expect(runStep(page, 'Step_1')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(bar).toHaveCount(0)
  await expect(lines).toHaveCount(3)
  expect(await texts()).toEqual(['starting download', '99%', 'download finished'])
  expect(errors).toEqual([])
})
