// A person runs a workflow and follows it: live statuses and log lines, a failure's traceback that jumps
// to the line in the editor, the fix and a rerun, the history of runs, a replayed step, deleting old runs.
import { expect, test, type Page } from '@playwright/test'
import {
  addMapping,
  createWorkflow,
  lineOf,
  openApp,
  pageErrors,
  resetBridge,
  runStep,
  save,
  script,
  setCode,
  shot,
  stepItem
} from './helpers'

const FETCH = script(`
for i in range(1, 41):
    print(f"reading sales row {i}", file=sys.stderr, flush=True)
    time.sleep(0.2)
print(json.dumps({"rows": [3, 5, 8], "count": 3}))
`)

const SUMMARIZE_BROKEN = script(`
def average(numbers):
    return sum(numbers) / (len(numbers) - 3)


print(f"averaging {variables['numbers']}", file=sys.stderr)
print(json.dumps({"average": average(variables["numbers"])}))
`)

const SUMMARIZE_FIXED = SUMMARIZE_BROKEN.replace('(len(numbers) - 3)', 'len(numbers)')

const SAVE = script(`
with open("report.txt", "w", encoding="utf-8") as f:
    f.write(f"average: {variables['value']}\\n")
print("report written", file=sys.stderr)
print(json.dumps({"file": "report.txt"}))
`)

async function buildSalesWorkflow(page: Page): Promise<void> {
  await createWorkflow(page, 'Sales summary')
  await page.getByTestId('add-step').click()
  await page.getByTestId('add-step').click()
  await stepItem(page, 'Step_1').click()
  await page.getByTestId('step-name').fill('Fetch')
  await setCode(page, FETCH)
  await addMapping(page, 'output-mapping', 'sales', 'rows')
  await stepItem(page, 'Step_2').click()
  await page.getByTestId('step-name').fill('Summarize')
  await setCode(page, SUMMARIZE_BROKEN)
  await addMapping(page, 'input-mapping', 'numbers', 'sales')
  await addMapping(page, 'output-mapping', 'avg', 'average')
  await stepItem(page, 'Step_3').click()
  await page.getByTestId('step-name').fill('Save_Report')
  await setCode(page, SAVE)
  await addMapping(page, 'input-mapping', 'value', 'avg')
  await save(page)
}

test.beforeEach(async ({ request }) => {
  await resetBridge(request)
})

test('run with F5, watch live logs and statuses, jump from the traceback to the failing line, fix and rerun', async ({ page }) => {
  await openApp(page)
  await buildSalesWorkflow(page)
  await stepItem(page, 'Fetch').click()

  await page.keyboard.press('F5')
  await expect(page.getByTestId('run-panel')).toBeVisible()
  // The first step runs: blue, with a moving elapsed time, its lines arriving as they are written.
  await expect(runStep(page, 'Fetch')).toHaveAttribute('data-status', 'RUNNING')
  await expect(runStep(page, 'Summarize')).toHaveAttribute('data-status', 'PENDING')
  await expect(page.getByTestId('log-view').getByTestId('log-line').first()).toContainText('reading sales row 1')
  await expect(page.getByTestId('log-view')).toContainText('reading sales row 1')
  await expect(page.getByTestId('stop-run')).toBeVisible()
  await expect(stepItem(page, 'Fetch').getByTestId('status-badge')).toHaveAttribute('data-status', 'RUNNING')
  await expect(page.getByTestId('log-view')).toContainText('reading sales row 4')
  await expect(runStep(page, 'Fetch')).toHaveAttribute('data-status', 'RUNNING')
  await shot(page, 'running')

  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'FAILED', { timeout: 20_000 })
  await expect(runStep(page, 'Fetch')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(runStep(page, 'Summarize')).toHaveAttribute('data-status', 'FAILED')
  await expect(runStep(page, 'Save_Report')).toHaveAttribute('data-status', 'SKIPPED')
  await expect(page.getByTestId('log-view').getByTestId('log-line')).not.toHaveCount(0)

  // The failed step is shown by itself: its error and Python traceback, lines of its script linked.
  const error = page.getByTestId('step-error')
  await expect(error).toContainText('ZeroDivisionError')
  await expect(error).toContainText('Script failed with exit code 1')
  await expect(page.getByTestId('error-exception')).toHaveText('ZeroDivisionError: division by zero')
  await expect(page.getByTestId('run-error')).toContainText('ZeroDivisionError')
  const failingLine = lineOf(SUMMARIZE_BROKEN, 'return sum(numbers)')
  await expect(page.getByTestId('traceback-frame')).toHaveCount(2)
  await expect(page.getByTestId('jump-to-error')).toHaveText(new RegExp(`line ${failingLine}\\b`))

  await page.getByTestId('jump-to-error').click()
  await expect(stepItem(page, 'Summarize')).toHaveAttribute('aria-selected', 'true')
  const marked = page.getByTestId('code-editor').locator('.cm-error-line')
  await expect(marked).toHaveCount(1)
  await expect(marked).toContainText('return sum(numbers) / (len(numbers) - 3)')
  await shot(page, 'failure')
  await expect(page.getByTestId('code-editor').locator('.cm-lineNumbers .cm-activeLineGutter')).toHaveText(String(failingLine))

  // The other frame (the call at module level) jumps to its own line.
  await page.getByTestId('traceback-frame').first().click()
  await expect(page.getByTestId('code-editor').locator('.cm-lineNumbers .cm-activeLineGutter')).toHaveText(
    String(lineOf(SUMMARIZE_BROKEN, 'print(json.dumps({"average"'))
  )

  // Fix, rerun (F5 saves first), and read outputs and variables.
  await setCode(page, SUMMARIZE_FIXED)
  await expect(page.getByTestId('unsaved-marker')).toBeVisible()
  await page.keyboard.press('F5')
  await expect(page.getByTestId('saved-marker')).toBeVisible()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  for (const name of ['Fetch', 'Summarize', 'Save_Report']) await expect(runStep(page, name)).toHaveAttribute('data-status', 'SUCCESS')
  await runStep(page, 'Summarize').click()
  await expect(page.getByTestId('step-output')).toContainText('average')
  await expect(page.getByTestId('step-output')).toContainText('5.333')
  await expect(page.getByTestId('step-variables')).toContainText('avg')
  await expect(page.getByTestId('step-inputs')).toContainText('numbers')
  await runStep(page, 'Save_Report').click()
  await expect(page.getByTestId('log-view')).toContainText('report written')
  expect(pageErrors(page)).toEqual([])
})

test('the history lists every run; a past run shows its steps; a step is replayed; old runs are deleted', async ({ page }) => {
  await openApp(page)
  await buildSalesWorkflow(page)
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'FAILED', { timeout: 20_000 })
  await stepItem(page, 'Summarize').click()
  await setCode(page, SUMMARIZE_FIXED)
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })

  await page.getByTestId('tab-history').click()
  const rows = page.getByTestId('history-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'SUCCESS')
  await expect(rows.nth(1)).toHaveAttribute('data-status', 'FAILED')

  // The failed run, as recorded: the failing step opened with its inputs, logs and error.
  await rows.nth(1).getByTestId('history-open').click()
  const detail = page.getByTestId('execution-detail')
  await expect(detail.getByTestId('history-step')).toHaveCount(3)
  const failed = detail.locator('[data-testid="history-step"][data-name="Summarize"]')
  await expect(failed).toHaveAttribute('data-status', 'FAILED')
  await expect(failed.getByTestId('step-error')).toContainText('ZeroDivisionError')
  await expect(failed.getByTestId('history-log')).toContainText('averaging [3, 5, 8]')
  await expect(failed.getByTestId('step-inputs')).toContainText('numbers')
  await expect(detail.getByTestId('execution-error')).toContainText('Summarize')
  await shot(page, 'history')

  // Replay the step from the successful run: a new run, marked as a replay, of that step alone.
  await rows.nth(0).getByTestId('history-open').click()
  const ok = page.getByTestId('execution-detail').locator('[data-testid="history-step"][data-name="Summarize"]')
  await ok.locator('.history-step-head').click()
  await expect(ok.getByTestId('step-output')).toContainText('5.333')
  await ok.getByTestId('replay-step').click()
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toContainText('Replay')
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await rows.nth(0).getByTestId('history-open').click()
  await expect(page.getByTestId('execution-detail').getByTestId('history-step')).toHaveCount(1)
  await expect(page.getByTestId('execution-detail')).toContainText('Replay of Summarize')

  // The replay shows beside the run panel's run, which keeps its own statuses (issue 10).
  await page.getByTestId('tab-steps').click()
  await expect(page.getByTestId('replay-beside')).toContainText('Replay of Summarize')
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(page.getByTestId('run-step')).toHaveCount(3)

  // Deleting old runs asks first.
  await page.getByTestId('tab-history').click()
  await rows.nth(2).getByTestId('history-check').check()
  await page.getByTestId('delete-runs').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('1')
  await page.getByTestId('confirm-ok').click()
  await expect(rows).toHaveCount(2)
  await expect(page.locator('[data-testid="history-row"][data-status="FAILED"]')).toHaveCount(0)
  expect(pageErrors(page)).toEqual([])
})

test('Shift+F5 stops a running step; a flood of log lines keeps the window responsive', async ({ page }) => {
  await openApp(page)
  await createWorkflow(page, 'Noisy and slow')
  await page.getByTestId('step-name').fill('Flood')
  await setCode(
    page,
    script(`
for i in range(120000):
    sys.stderr.write(f"line {i}\\n")
print(json.dumps({"lines": 120000}))
`)
  )
  await page.getByTestId('add-step').click()
  await page.getByTestId('step-name').fill('Wait_Forever')
  await setCode(
    page,
    script(`
print("waiting", file=sys.stderr, flush=True)
time.sleep(120)
print(json.dumps({}))
`)
  )
  await page.keyboard.press('F5')
  await expect(runStep(page, 'Wait_Forever')).toHaveAttribute('data-status', 'RUNNING', { timeout: 30_000 })
  await runStep(page, 'Flood').click()
  // More lines than a step keeps in memory: the oldest are dropped with a note, the newest are shown.
  await expect(page.getByTestId('log-dropped')).toBeVisible()
  await expect(page.getByTestId('log-view')).toContainText('line 119999')
  // The window still answers at once while the run goes on.
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-node')).toHaveCount(2)
  await page.getByTestId('tab-steps').click()

  await page.keyboard.press('Shift+F5')
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'CANCELLED', { timeout: 15_000 })
  await expect(runStep(page, 'Wait_Forever')).toHaveAttribute('data-status', 'CANCELLED')
  await expect(page.getByTestId('run-workflow')).toBeVisible()
  expect(pageErrors(page)).toEqual([])
})
