// A person edits run control: which step waits for which (in the step's panel and by dragging in the graph),
// retries and continue-on-error, and which step runs when a run fails; what is saved comes back after a
// reload, and what cannot run (a circle, 10,000 retries) is refused in Korean, naming the step and the
// field, with nothing saved.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { openApp, pageErrors, queueDialogs, resetBridge, shot, stepItem } from './helpers'

const step = (order: number, name: string) => ({ order, name, step_type: 'PYTHON_SCRIPT', code: 'print("{}")\n' })

async function importThreeSteps(page: Page, request: Parameters<typeof queueDialogs>[0], workDir: string): Promise<void> {
  const file = join(workDir, 'nightly.json')
  writeFileSync(file, JSON.stringify({ name: 'Nightly', steps: [step(0, 'Load'), step(1, 'Clean'), step(2, 'Report'), step(3, 'Alert')] }))
  await queueDialogs(request, [file])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(4)
}

/** Opens the step's run control section and returns it. */
async function runControlOf(page: Page, name: string) {
  await stepItem(page, name).click()
  const section = page.getByTestId('run-control')
  if (!(await section.evaluate((el) => el.hasAttribute('open')))) await page.getByTestId('run-control-summary').click()
  return section
}

const dependsOn = (page: Page, name: string) => page.locator(`[data-testid="depends-on-step"][data-name="${name}"]`)

async function reloadDiscarding(page: Page): Promise<void> {
  page.once('dialog', (d) => void d.accept())
  await page.reload()
  // The reloaded window reopens the workflow once its list has loaded: slow on a busy machine.
  await expect(page.getByTestId('step-item')).toHaveCount(4, { timeout: 20_000 })
}

test('set dependencies in the panel and by dragging in the graph, retries, continue-on-error and an on-failure step; all saved', async ({
  page,
  request
}) => {
  const { workDir } = await resetBridge(request)
  await openApp(page)
  await importThreeSteps(page, request, workDir)

  // In order, Report waits for Clean; checking Load as well keeps that and adds Load.
  await runControlOf(page, 'Report')
  await expect(page.getByTestId('run-control-summary')).toContainText('After Clean')
  await expect(dependsOn(page, 'Clean')).toBeChecked()
  await dependsOn(page, 'Load').check()
  await dependsOn(page, 'Clean').uncheck()
  await expect(page.getByTestId('run-control-summary')).toContainText('After Load')

  // Alert becomes the on-failure step: its own section in the list, out of everyone's order.
  await page.getByTestId('tab-workflowSettings').click()
  await page.locator('[data-testid="on-failure-step"][data-name="Alert"]').check()
  await page.getByTestId('tab-steps').click()
  await expect(page.getByTestId('step-list-on-failure')).toBeVisible()
  await expect(stepItem(page, 'Alert').getByTestId('step-on-failure-badge')).toBeVisible()
  await runControlOf(page, 'Alert')
  await expect(page.getByTestId('depends-on')).toContainText('failed_step')

  // In the graph: Load → Clean and Load → Report; drag Clean onto Report, then remove Load → Clean.
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-node')).toHaveCount(4)
  const edge = (from: string, to: string) => page.locator(`.react-flow__edge[aria-label="${to} runs after ${from}"]`)
  await expect(edge('Load', 'Clean')).toHaveCount(1)
  await expect(edge('Load', 'Report')).toHaveCount(1)
  const out = page.locator('[data-testid="graph-node"][data-name="Clean"] [data-testid="graph-handle-out"]')
  const into = page.locator('[data-testid="graph-node"][data-name="Report"] [data-testid="graph-handle-in"]')
  const a = (await out.boundingBox())!
  const b = (await into.boundingBox())!
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 })
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(edge('Clean', 'Report')).toHaveCount(1)
  await edge('Load', 'Clean').click()
  await expect(page.getByTestId('graph-edge-remove')).toBeVisible()
  await page.keyboard.press('Delete')
  await expect(edge('Load', 'Clean')).toHaveCount(0)
  await shot(page, 'graph-dependencies')

  // Double-clicking a step in the graph opens it.
  await page.locator('[data-testid="graph-node"][data-name="Clean"]').dblclick()
  await expect(page.getByTestId('step-name')).toHaveValue('Clean')
  const section = await runControlOf(page, 'Clean')
  await section.getByTestId('retry-toggle').check()
  await page.getByTestId('retry-count').fill('2')
  await page.getByTestId('retry-delay').fill('1.5')
  await page.getByTestId('retry-exit-codes').fill('1, 75')
  await page.getByTestId('continue-on-error').check()
  await expect(page.getByTestId('run-control-summary')).toContainText('Retries up to 2×')
  await shot(page, 'step-run-control')
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('saved-marker')).toBeVisible()

  await page.reload()
  // The reloaded window reopens the workflow once its list has loaded: slow on a busy machine.
  await expect(page.getByTestId('step-item')).toHaveCount(4, { timeout: 20_000 })
  await runControlOf(page, 'Report')
  await expect(dependsOn(page, 'Load')).toBeChecked()
  await expect(dependsOn(page, 'Clean')).toBeChecked()
  await runControlOf(page, 'Clean')
  await expect(dependsOn(page, 'Load')).not.toBeChecked()
  await expect(page.getByTestId('retry-count')).toHaveValue('2')
  await expect(page.getByTestId('retry-delay')).toHaveValue('1.5')
  await expect(page.getByTestId('retry-backoff')).toHaveValue('2')
  await expect(page.getByTestId('retry-exit-codes')).toHaveValue('1, 75')
  await expect(page.getByTestId('continue-on-error')).toBeChecked()
  await expect(stepItem(page, 'Alert').getByTestId('step-on-failure-badge')).toBeVisible()
  expect(pageErrors(page)).toEqual([])
})

test('a circle and 10,000 retries are refused in Korean, naming the step and the field; nothing is saved', async ({ page, request }) => {
  const { workDir } = await resetBridge(request, 'ko-KR')
  await openApp(page)
  await importThreeSteps(page, request, workDir)

  // Load after Report, while Report (in order) waits for Clean and Clean for Load: a circle.
  await runControlOf(page, 'Load')
  await dependsOn(page, 'Report').check()
  await page.keyboard.press('ControlOrMeta+s')
  const error = page.getByTestId('toast-error')
  await expect(error).toContainText('“Load” 단계의 선행 단계')
  await expect(error).toContainText('순환')
  await expect(page.getByTestId('unsaved-marker')).toBeVisible()
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-warnings')).toContainText('순환')
  await page.getByTestId('tab-steps').click()

  await runControlOf(page, 'Clean')
  await page.getByTestId('retry-toggle').check()
  await page.getByTestId('retry-count').fill('10000')
  await page.getByTestId('retry-delay').fill('31536000')
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('toast-error').filter({ hasText: '“Clean” 단계의 재시도 횟수' })).toContainText('10000')
  await expect(page.getByTestId('toast-error').filter({ hasText: '“Clean” 단계의 재시도 전 대기' })).toContainText('31536000')
  await shot(page, 'run-control-refused-ko')

  await reloadDiscarding(page)
  await runControlOf(page, 'Load')
  await expect(dependsOn(page, 'Report')).not.toBeChecked()
  await runControlOf(page, 'Clean')
  await expect(page.getByTestId('retry-toggle')).not.toBeChecked()
  await expect(page.getByTestId('run-control-summary')).toContainText('Load 다음')
})
