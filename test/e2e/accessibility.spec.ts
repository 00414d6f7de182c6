// Every screen a person meets, checked by axe in both themes and both languages: no serious or critical
// violation (text too faint to read, a field a screen reader cannot name, a scroll area the keyboard cannot
// reach). A failure lists each violation by screen, rule id and element.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { openApp, pageErrors, queueDialogs, resetBridge, runStep, script, stepItem } from './helpers'

const EXAMPLE = join(process.cwd(), 'examples/fetch-process-save.json')

const SCREENS = [
  'workflows list (empty)',
  'prompt dialog',
  'workflows list',
  'editor (step selected)',
  'step run control (dependencies, retry)',
  'variables editor',
  'confirm dialog',
  'graph view',
  'run panel while running (live logs)',
  'failure card with traceback',
  'debug run (kept files)',
  'history',
  "a past run's details",
  'import error',
  'settings',
  'schedules view',
  'schedule and trigger editors with errors'
] as const
type Screen = (typeof SCREENS)[number]

// The first step writes log lines until the test lets it finish (a file in the working folder), so the
// running screen is scanned while it is running; the second fails with a Python traceback.
const WAIT_FOR_GO = script(`
import os
for i in range(600):
    if os.path.exists("go.txt"):
        break
    print(f"reading sales row {i}", file=sys.stderr, flush=True)
    time.sleep(0.1)
print(json.dumps({"rows": [3, 5, 8]}))
`)
const DIVIDE = script(`
def average(numbers):
    return sum(numbers) / (len(numbers) - 3)


print(json.dumps({"average": average(variables["numbers"])}))
`)

interface Violation {
  screen: Screen
  id: string
  impact: string
  targets: string[]
}

async function scan(page: Page, screen: Screen, found: Violation[], label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze()
  for (const v of results.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue
    const targets = v.nodes.map((n) => {
      // For contrast, the colours axe measured say what to change in styles.css.
      const c = n.any.find((check) => check.id === 'color-contrast')?.data as
        { fgColor?: string; bgColor?: string; contrastRatio?: number; expectedContrastRatio?: string } | undefined
      const where = n.target.join(' ')
      return c?.fgColor ? `${where} [${c.fgColor} on ${c.bgColor}: ${c.contrastRatio}, needs ${c.expectedContrastRatio}]` : where
    })
    found.push({ screen, id: v.id, impact: v.impact, targets })
  }
  await page.screenshot({ path: `test-results/screenshots/a11y/${label}-${screen.replace(/[^a-z]+/gi, '-')}.png` })
}

function report(found: Violation[]): string {
  return found.map((v) => `${v.screen}: ${v.id} (${v.impact}) on\n    ${v.targets.join('\n    ')}`).join('\n')
}

for (const theme of ['light', 'dark'] as const) {
  for (const language of ['English', 'Korean'] as const) {
    test(`${theme} theme, ${language}: no serious or critical axe violation on ${SCREENS.join(', ')}`, async ({ page, request }) => {
      test.setTimeout(120_000)
      const { workDir } = await resetBridge(request, language === 'Korean' ? 'ko-KR' : 'en-US')
      await page.emulateMedia({ colorScheme: theme })
      const label = `${theme}-${language === 'Korean' ? 'ko' : 'en'}`
      const found: Violation[] = []
      const check = (screen: Screen) => test.step(screen, () => scan(page, screen, found, label))

      await openApp(page)
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme)
      await expect(page.getByTestId('welcome')).toBeVisible()
      await check('workflows list (empty)')

      await page.getByTestId('new-workflow').click()
      await page.getByTestId('prompt-input').fill('매출 보고서')
      await check('prompt dialog')
      await page.getByTestId('prompt-ok').click()
      await expect(page.getByTestId('workflow-title')).toHaveText('매출 보고서')

      const workflowFile = join(workDir, 'slow-and-failing.json')
      writeFileSync(
        workflowFile,
        JSON.stringify({
          name: 'Slow and failing',
          steps: [
            { order: 0, name: 'Wait_For_Go', step_type: 'PYTHON_SCRIPT', code: WAIT_FOR_GO, output_mapping: { sales: 'rows' } },
            { order: 1, name: 'Divide', step_type: 'PYTHON_SCRIPT', code: DIVIDE, input_mapping: { numbers: 'sales' } }
          ]
        })
      )
      await queueDialogs(request, [EXAMPLE, workflowFile])
      await page.getByTestId('import-workflow').click()
      await expect(page.getByTestId('step-item')).toHaveCount(3)
      await page.getByTestId('import-workflow').click()
      await expect(page.getByTestId('step-item')).toHaveCount(2)
      await expect(page.getByTestId('workflow-item')).toHaveCount(3)
      await check('workflows list')

      await stepItem(page, 'Divide').click()
      await expect(page.getByTestId('input-mapping-key')).toHaveValue('numbers')
      await check('editor (step selected)')

      await page.getByTestId('run-control-summary').click()
      await page.getByTestId('retry-toggle').check()
      await expect(page.getByTestId('retry-count')).toBeVisible()
      await check('step run control (dependencies, retry)')
      await page.getByTestId('retry-toggle').uncheck()
      await page.getByTestId('run-control-summary').click()

      await page.getByTestId('variables-toggle').click()
      await expect(page.getByTestId('variables-editor')).toBeVisible()
      await check('variables editor')
      await page.getByTestId('variables-toggle').click()
      await expect(page.getByTestId('variables-editor')).toHaveCount(0)

      await stepItem(page, 'Divide').hover()
      await stepItem(page, 'Divide').getByTestId('step-delete').click()
      await expect(page.getByTestId('confirm-dialog')).toBeVisible()
      await check('confirm dialog')
      await page.getByTestId('confirm-cancel').click()

      await page.getByTestId('tab-graph').click()
      await expect(page.getByTestId('graph-node')).toHaveCount(2)
      await check('graph view')
      await page.getByTestId('tab-steps').click()

      await page.getByTestId('debug-toggle').check({ force: true })
      await page.getByTestId('run-workflow').click()
      await expect(runStep(page, 'Wait_For_Go')).toHaveAttribute('data-status', 'RUNNING')
      await expect(page.getByTestId('log-view')).toContainText('reading sales row 2')
      await check('run panel while running (live logs)')
      writeFileSync(join(workDir, 'go.txt'), 'go')

      await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'FAILED', { timeout: 30_000 })
      await expect(page.getByTestId('error-exception')).toHaveText('ZeroDivisionError: division by zero')
      await check('failure card with traceback')

      await runStep(page, 'Wait_For_Go').click()
      await expect(page.getByTestId('debug-files')).toBeVisible()
      await check('debug run (kept files)')

      await page.getByTestId('tab-history').click()
      await expect(page.getByTestId('history-row')).toHaveCount(1)
      await check('history')
      await page.getByTestId('history-row').first().getByTestId('history-open').click()
      await expect(page.getByTestId('execution-detail').getByTestId('history-step')).toHaveCount(2)
      await check("a past run's details")

      await queueDialogs(request, [join(process.cwd(), 'package.json')])
      await page.getByTestId('import-workflow').click()
      await expect(page.getByTestId('toast-error')).toBeVisible()
      await check('import error')

      await page.getByTestId('open-settings').click()
      await expect(page.getByTestId('settings-screen')).toBeVisible()
      await check('settings')

      await page.getByTestId('open-schedules').click()
      await expect(page.getByTestId('schedule-next-runs').locator('li')).toHaveCount(5)
      await page.getByTestId('schedule-add').click()
      await expect(page.getByTestId('schedule-row')).toHaveCount(1)
      await page.getByTestId('trigger-folder').fill(workDir)
      await page.getByTestId('trigger-add').click()
      await expect(page.getByTestId('trigger-row')).toHaveCount(1)
      await check('schedules view')
      await page.getByTestId('schedule-preset').selectOption('custom')
      await page.getByTestId('schedule-cron').fill('61 * * * *')
      await expect(page.getByTestId('schedule-add')).toBeDisabled()
      await page.getByTestId('trigger-pattern').fill('')
      await page.getByTestId('trigger-on-add').uncheck()
      await page.getByTestId('trigger-add').click()
      await expect(page.getByTestId('trigger-events-error')).toBeVisible()
      await check('schedule and trigger editors with errors')

      expect(found, `serious or critical violations (${found.length}):\n${report(found)}`).toEqual([])
      expect(pageErrors(page)).toEqual([])
    })
  }
}
