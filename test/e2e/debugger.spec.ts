// The step debugger in the window (issue 13): a breakpoint in the gutter, the step stops there, a local is
// read, step over moves the line, an expression is evaluated, and the step continues to the end with the
// output of a normal run; a step that raises stops post-mortem at the raising line with its locals; a past
// run's step is debugged on the inputs that run recorded. (docs/screenshots come from `npm run screenshots`.)
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { createWorkflow, lineOf, openApp, pageErrors, resetBridge, runStep, save, script, setCode, shot, stepItem } from './helpers'

const TOTALS = script(`
prices = [120, 80, 45]
total = sum(prices)
discounted = total * 0.9
print(f"total {total}", file=sys.stderr)
print(json.dumps({"total": total, "discounted": discounted}))
`)

const RAISES = script(`
def ratio(done, planned):
    share = done / planned
    return share


print(json.dumps({"ratio": ratio(3, variables.get("planned", 0))}))
`)

function line(n: number): string {
  return `[data-breakpoint-line="${n}"]`
}

async function status(page: Page): Promise<string> {
  return (await page.getByTestId('debug-status').getAttribute('data-status')) ?? ''
}

test('breakpoint, read a local, step over, evaluate, continue to the normal output', async ({ page, request }) => {
  await resetBridge(request)
  const errors = pageErrors(page)
  await openApp(page)
  await createWorkflow(page, 'Debugged totals')
  await stepItem(page, 'Step_1').click()
  await setCode(page, TOTALS)
  await save(page)

  const stopAt = lineOf(TOTALS, 'discounted = total')
  await page.locator(line(stopAt)).click()
  await expect(page.locator(line(stopAt))).toHaveAttribute('data-breakpoint', 'plain')
  await page.getByTestId('debug-step').click()

  await expect.poll(() => status(page), { timeout: 20_000 }).toBe('paused')
  await expect(page.getByTestId('debug-status')).toContainText(`line ${stopAt}`)
  await expect(page.getByTestId('debug-line')).toContainText('discounted = total * 0.9')
  const total = page.locator('[data-testid="debug-var"][data-name="total"]').getByTestId('debug-var-value')
  await expect(total).toHaveText('245')
  await expect(page.getByTestId('debug-stack')).toContainText('<module>')
  await expect(page.getByTestId('debug-stack')).not.toContainText('bootstrap')

  await page.getByTestId('debug-next').click()
  await expect(page.getByTestId('debug-status')).toContainText(`line ${stopAt + 1}`)
  await expect(page.getByTestId('debug-line')).toContainText('print(f"total')

  await page.getByTestId('debug-console-input').fill('discounted + len(prices)')
  await page.getByTestId('debug-console-input').press('Enter')
  await expect(page.getByTestId('debug-console')).toContainText('223.5')
  await page.getByTestId('debug-console-input').fill('prices[7]')
  await page.getByTestId('debug-console-input').press('Enter')
  await expect(page.getByTestId('debug-console-error')).toContainText('IndexError')
  // The session survived the error.
  await page.getByTestId('debug-watch-input').fill('total // 2')
  await page.getByTestId('debug-watch-input').press('Enter')
  await expect(page.getByTestId('debug-watch-value')).toHaveText('122')

  const axe = await new AxeBuilder({ page }).include('[data-testid="debug-panel"]').analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
  await shot(page, 'debugger-paused-en-light')

  await page.getByTestId('debug-continue').click()
  await expect.poll(() => status(page)).toBe('ended')
  await expect(page.getByTestId('debug-status')).toContainText('SUCCESS')
  await expect(page.getByTestId('debug-exit-output')).toContainText('220.5')
  await expect(page.getByTestId('debug-output')).toContainText('total 245')
  expect(errors).toEqual([])
})

test('a step that raises stops post-mortem at the raising line with its locals', async ({ page, request }) => {
  await resetBridge(request)
  await openApp(page)
  await createWorkflow(page, 'Debugged failure')
  await stepItem(page, 'Step_1').click()
  await setCode(page, RAISES)
  await save(page)
  await page.getByTestId('debug-step').click()

  await expect.poll(() => status(page), { timeout: 20_000 }).toBe('paused')
  const raising = lineOf(RAISES, 'share = done / planned')
  await expect(page.getByTestId('debug-status')).toContainText(`line ${raising}`)
  await expect(page.getByTestId('debug-exception')).toContainText('ZeroDivisionError')
  await expect(page.getByTestId('debug-line')).toContainText('share = done / planned')
  await expect(page.locator('[data-testid="debug-var"][data-name="planned"]').getByTestId('debug-var-value')).toHaveText('0')
  await expect(page.getByTestId('debug-stack').locator('li')).toHaveCount(2)

  await page.getByTestId('debug-continue').click()
  await expect.poll(() => status(page)).toBe('ended')
  await expect(page.getByTestId('debug-status')).toContainText('FAILED')
  await expect(page.getByTestId('debug-output')).toContainText('ZeroDivisionError')
})

const PLANNED = script(`
planned = variables["planned"]
print(json.dumps({"planned": planned}))
`)

async function setVariables(page: Page, json: string): Promise<void> {
  await page.getByTestId('variables-toggle').click()
  await page.getByTestId('variables-editor').fill(json)
  await page.getByTestId('variables-toggle').click()
  await save(page)
}

test("Debug with this run's inputs uses the variables that run recorded, not the current ones", async ({ page, request }) => {
  await resetBridge(request)
  await openApp(page)
  await createWorkflow(page, 'Recorded inputs')
  await stepItem(page, 'Step_1').click()
  await setCode(page, PLANNED)
  await setVariables(page, '{"planned": 4}')
  await page.getByTestId('run-workflow').click()
  await expect(runStep(page, 'Step_1')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
  await setVariables(page, '{"planned": 9}')

  await page.locator(line(lineOf(PLANNED, 'print(json.dumps'))).click()
  await runStep(page, 'Step_1').click()
  await page.getByTestId('debug-recorded').click()
  await expect.poll(() => status(page), { timeout: 20_000 }).toBe('paused')
  await expect(page.getByTestId('debug-status')).toContainText('inputs of run')
  await expect(page.locator('[data-testid="debug-var"][data-name="planned"]').getByTestId('debug-var-value')).toHaveText('4')
  await page.getByTestId('debug-continue').click()
  await expect.poll(() => status(page)).toBe('ended')
  await expect(page.getByTestId('debug-exit-output')).toContainText('4')

  // Debug step itself uses the workflow's current variables.
  await page.getByTestId('debug-close').click()
  await page.getByTestId('debug-step').click()
  await expect.poll(() => status(page), { timeout: 20_000 }).toBe('paused')
  await expect(page.locator('[data-testid="debug-var"][data-name="planned"]').getByTestId('debug-var-value')).toHaveText('9')
  await page.getByTestId('debug-stop').click()
  await expect.poll(() => status(page)).toBe('ended')
})

for (const [locale, theme] of [
  ['ko-KR', 'light'],
  ['en-US', 'dark'],
  ['ko-KR', 'dark']
] as const) {
  test(`a paused step, ${locale} ${theme} (screenshot)`, async ({ page, request }) => {
    await resetBridge(request, locale)
    await page.emulateMedia({ colorScheme: theme })
    await openApp(page)
    await createWorkflow(page, locale === 'ko-KR' ? '매출 합계' : 'Sales totals')
    await stepItem(page, 'Step_1').click()
    await setCode(page, TOTALS)
    await save(page)
    await page.locator(line(lineOf(TOTALS, 'discounted = total'))).click()
    await page.getByTestId('debug-step').click()
    await expect.poll(() => status(page), { timeout: 20_000 }).toBe('paused')
    await expect(page.locator('[data-testid="debug-var"][data-name="total"]')).toBeVisible()
    await shot(page, `debugger-paused-${locale.slice(0, 2)}-${theme}`)
    await page.getByTestId('debug-stop').click()
    await expect.poll(() => status(page)).toBe('ended')
  })
}
