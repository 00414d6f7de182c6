// Run control in the real window: a step that fails once and is retried shows its attempts and the earlier
// attempt's log; the timeline shows a bar per step; a failed run, once fixed, resumes from the failed step
// with the first step reused; an old traceback opens the code as it ran; a replay leaves the run as it was.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { expectAccessible, openApp, pageErrors, queueDialogs, resetBridge, runStep, save, script, setCode, shot, stepItem } from './helpers'

// The marker file in the working folder makes the first attempt fail and the next one succeed.
const FLAKY_FETCH = script(`
import os

if not os.path.exists("share_seen.txt"):
    open("share_seen.txt", "w").close()
    print("share not found, will be there next time", file=sys.stderr)
    sys.exit(3)
print("share found", file=sys.stderr)
print(json.dumps({"rows": [1, 2, 3]}))
`)

const REPORT = script(`
print(f"reporting {len(variables['rows'])} rows", file=sys.stderr)
print(json.dumps({"done": True}))
`)

const PREPARE = script(`
print("preparing the batch", file=sys.stderr)
print(json.dumps({"batch": 7}))
`)

const LOAD_BROKEN = script(`
print(f"loading batch {variables['batch']}", file=sys.stderr)
raise RuntimeError("share offline")
`)

const LOAD_FIXED = script(`
print(f"loading batch {variables['batch']}", file=sys.stderr)
print(json.dumps({"loaded": True}))
`)

async function importWorkflow(page: Page, request: APIRequestContext, dir: string, file: object, steps: number): Promise<void> {
  const path = join(dir, 'run-control.json')
  writeFileSync(path, JSON.stringify(file), 'utf8')
  await queueDialogs(request, [path])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(steps)
}

test('a step that fails once is retried: its attempts, the earlier attempt’s log, and the run’s timeline', async ({ page, request }) => {
  const { dataDir } = await resetBridge(request)
  await openApp(page)
  await importWorkflow(
    page,
    request,
    dataDir,
    {
      name: 'Flaky share',
      steps: [
        {
          order: 0,
          name: 'Fetch',
          step_type: 'PYTHON_SCRIPT',
          code: FLAKY_FETCH,
          output_mapping: { rows: 'rows' },
          retry: { count: 1, delay_seconds: 0 }
        },
        { order: 1, name: 'Report', step_type: 'PYTHON_SCRIPT', code: REPORT, input_mapping: { rows: 'rows' } }
      ]
    },
    2
  )
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
  await expect(runStep(page, 'Fetch')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(runStep(page, 'Fetch').getByTestId('run-step-attempt')).toHaveText('2×')

  await runStep(page, 'Fetch').click()
  const details = page.getByTestId('run-panel').getByTestId('step-run-details')
  await expect(details.getByTestId('step-attempt')).toHaveText('Attempt 2 of 2')
  await expect(page.getByTestId('log-view')).toContainText('share found')
  const earlier = details.getByTestId('previous-attempt')
  await expect(earlier).toHaveCount(1)
  await expect(earlier).toHaveAttribute('data-status', 'FAILED')
  await expect(earlier).toContainText('exit code 3')
  await earlier.locator('summary').click()
  await expect(earlier.getByTestId('attempt-log')).toContainText('share not found, will be there next time')

  // The timeline: a bar per step, coloured by how it ended.
  await page.getByTestId('show-timeline').click()
  const bars = page.getByTestId('run-timeline').getByTestId('timeline-bar')
  await expect(bars).toHaveCount(2)
  await expect(bars.first()).toHaveAttribute('data-status', 'SUCCESS')
  await expect(bars.last()).toHaveAttribute('data-step', 'Report')
  await shot(page, 'run-timeline')
  await expectAccessible(page, 'timeline and earlier attempts')

  // The history keeps the earlier attempt with its own log, and shows the timeline too.
  await page.getByTestId('tab-history').click()
  await page.getByTestId('history-row').first().getByTestId('history-open').click()
  const detail = page.getByTestId('execution-detail')
  await expect(detail.getByTestId('timeline-bar')).toHaveCount(2)
  const fetch = detail.locator('[data-testid="history-step"][data-name="Fetch"]')
  await fetch.locator('.history-step-head').click()
  await expect(fetch.getByTestId('previous-attempt')).toHaveCount(1)
  await fetch.getByTestId('previous-attempt').locator('summary').click()
  await expect(fetch.getByTestId('attempt-log')).toContainText('share not found')
  await expectAccessible(page, 'history with timeline and attempts')
  await shot(page, 'history-attempts-timeline')
  expect(pageErrors(page)).toEqual([])
})

test('a failed run, fixed, resumes from the failed step; the first step is reused; old tracebacks show the old code', async ({
  page,
  request
}) => {
  const { dataDir } = await resetBridge(request)
  await openApp(page)
  await importWorkflow(
    page,
    request,
    dataDir,
    {
      name: 'Nightly load',
      steps: [
        { order: 0, name: 'Prepare', step_type: 'PYTHON_SCRIPT', code: PREPARE, output_mapping: { batch: 'batch' } },
        { order: 1, name: 'Load', step_type: 'PYTHON_SCRIPT', code: LOAD_BROKEN, input_mapping: { batch: 'batch' } }
      ]
    },
    2
  )
  await page.getByTestId('run-workflow').click()
  const panel = page.getByTestId('run-panel')
  await expect(panel).toHaveAttribute('data-status', 'FAILED', { timeout: 20_000 })
  await expect(runStep(page, 'Load')).toHaveAttribute('data-status', 'FAILED')
  await expect(panel.getByTestId('step-error')).toContainText('share offline')

  // Fix the code; the failed run's traceback now points into code that is no longer on screen.
  await stepItem(page, 'Load').click()
  await setCode(page, LOAD_FIXED)
  await save(page)
  await panel.getByTestId('jump-to-error').click()
  const old = page.getByTestId('recorded-code')
  await expect(old).toBeVisible()
  await expect(old).toHaveAttribute('data-differs', 'true')
  await expect(old.getByTestId('recorded-code-note')).toHaveText('This differs from the current code of the step.')
  await expect(old).toContainText('raise RuntimeError("share offline")')
  await expect(old.getByTestId('recorded-line')).toContainText('raise RuntimeError')
  await expectAccessible(page, 'code as it ran')
  await old.getByTestId('recorded-code-close').click()
  await expect(old).toHaveCount(0)

  await shot(page, 'run-resume-offered')
  await panel.getByTestId('resume-run').click()
  await expect(panel.getByTestId('run-values-from')).toBeVisible()
  await expect(panel).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(runStep(page, 'Prepare')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(runStep(page, 'Prepare').getByTestId('run-step-reused')).toBeVisible()
  await expect(runStep(page, 'Load')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(runStep(page, 'Load').getByTestId('run-step-reused')).toHaveCount(0)
  await runStep(page, 'Prepare').click()
  await expect(panel.getByTestId('reused-from')).toHaveText(/^Reused from run [0-9a-f]{8}$/)
  await shot(page, 'run-resumed')
  await expectAccessible(page, 'resumed run')

  // History: the resumed run is its own row, started by "Resumed run", linking to the run it resumed.
  await page.getByTestId('tab-history').click()
  const rows = page.getByTestId('history-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'SUCCESS')
  await expect(rows.nth(0).getByTestId('history-trigger')).toHaveText('Resumed run')
  await rows.nth(0).getByTestId('history-resumed-from').click()
  await expect(page.getByTestId('execution-detail')).toHaveAttribute('data-execution-id', /.+/)
  const failedRun = await page.getByTestId('execution-detail').getAttribute('data-execution-id')
  await expect(page.locator('[data-testid="execution-detail"] [data-testid="history-step"][data-name="Load"]')).toHaveAttribute(
    'data-status',
    'FAILED'
  )
  await expect(rows.nth(0).getByTestId('history-resumed-from')).toHaveText(`Resumed from run ${failedRun!.slice(0, 8)}`)
  await page.getByTestId('history-trigger-filter').selectOption('resume')
  await expect(rows).toHaveCount(1)
  await page.getByTestId('history-trigger-filter').selectOption('')
  await expect(rows).toHaveCount(2)

  // A past run's traceback opens the code as it ran there, read-only.
  const load = page.locator('[data-testid="execution-detail"] [data-testid="history-step"][data-name="Load"]')
  await load.getByTestId('jump-to-error').click()
  await expect(page.getByTestId('recorded-code')).toHaveAttribute('data-differs', 'true')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('recorded-code')).toHaveCount(0)

  // Replaying a step is its own run: the run panel keeps the resumed run's statuses.
  await rows.nth(0).getByTestId('history-open').click()
  const loaded = page.locator('[data-testid="execution-detail"] [data-testid="history-step"][data-name="Load"]')
  await loaded.locator('.history-step-head').click()
  await loaded.getByTestId('replay-step').click()
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await page.getByTestId('tab-steps').click()
  await expect(panel.getByTestId('replay-beside')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(panel).toHaveAttribute('data-status', 'SUCCESS')
  await expect(page.getByTestId('run-step')).toHaveCount(2)
  await expect(runStep(page, 'Prepare').getByTestId('run-step-reused')).toBeVisible()
  expect(pageErrors(page)).toEqual([])
})

test('run only a step: refused until a run succeeded (said in words), then the step runs with the values of that run', async ({
  page,
  request
}) => {
  const { dataDir } = await resetBridge(request)
  await openApp(page)
  await importWorkflow(
    page,
    request,
    dataDir,
    {
      name: 'Nightly load',
      steps: [
        { order: 0, name: 'Prepare', step_type: 'PYTHON_SCRIPT', code: PREPARE, output_mapping: { batch: 'batch' } },
        { order: 1, name: 'Load', step_type: 'PYTHON_SCRIPT', code: LOAD_BROKEN, input_mapping: { batch: 'batch' } }
      ]
    },
    2
  )
  const panel = page.getByTestId('run-panel')
  await page.getByTestId('run-workflow').click()
  await expect(panel).toHaveAttribute('data-status', 'FAILED', { timeout: 20_000 })
  await runStep(page, 'Load').click()
  await panel.getByTestId('run-only-step').click()
  await expect(page.getByTestId('toast-error')).toContainText('no successful run yet')

  await stepItem(page, 'Load').click()
  await setCode(page, LOAD_FIXED)
  await page.getByTestId('run-workflow').click()
  await expect(panel).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(panel.getByTestId('run-values-from')).toHaveCount(0)

  await runStep(page, 'Load').click()
  await panel.getByTestId('run-only-step').click()
  await expect(panel.getByTestId('run-values-from')).toHaveText(/^Reused values from run [0-9a-f]{8}$/)
  await expect(panel).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(runStep(page, 'Prepare').getByTestId('run-step-reused')).toBeVisible()
  await expect(runStep(page, 'Load').getByTestId('run-step-reused')).toHaveCount(0)

  // Run from the first step: everything runs, nothing is reused.
  await runStep(page, 'Prepare').click()
  await panel.getByTestId('run-from-step').click()
  await expect(runStep(page, 'Prepare').getByTestId('run-step-reused')).toHaveCount(0)
  await expect(panel).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await page.getByTestId('tab-history').click()
  await expect(page.getByTestId('history-row')).toHaveCount(4)
  await expect(page.getByTestId('history-row').nth(1).getByTestId('history-resumed-from')).toContainText('Reused values from run')
  expect(pageErrors(page)).toEqual([])
})
