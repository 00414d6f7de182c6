// A person builds a workflow: creates it, adds three steps from the template, writes their code, maps
// variables from step to step, reorders, saves, and manages workflows in the list.
import { expect, test } from '@playwright/test'
import { STEP_TEMPLATE } from '../../src/shared/step-template'
import { addMapping, createWorkflow, openApp, pageErrors, queueDialogs, resetBridge, script, setCode, shot, stepItem } from './helpers'

test.beforeEach(async ({ request }) => {
  await resetBridge(request)
})

test('create a workflow of three template steps, map variables between them, and save', async ({ page }) => {
  await openApp(page)
  await expect(page.getByTestId('welcome')).toBeVisible()
  await createWorkflow(page, 'Daily sales report')

  // A new workflow starts with one step from the template; two more are added the same way.
  await expect(page.getByTestId('step-item')).toHaveCount(1)
  await page.getByTestId('add-step').click()
  await page.getByTestId('add-step').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)
  await expect(page.getByTestId('unsaved-marker')).toBeVisible()
  const content = page.getByTestId('code-editor').locator('.cm-content')
  await expect(content).toContainText("if '--variables-file' in sys.argv:")
  await expect(content).toContainText('print(json.dumps(result, ensure_ascii=False))')
  expect(STEP_TEMPLATE).toContain('--variables-file')

  await stepItem(page, 'Step_1').click()
  await page.getByTestId('step-name').fill('Fetch_Sales')
  await page.getByTestId('step-description').fill('Read the sales figures')
  await setCode(
    page,
    script(`print("fetching", file=sys.stderr)\nprint(json.dumps({"rows": [3, 5, 8], "region": variables.get("region", "?")}))`)
  )
  await addMapping(page, 'output-mapping', 'sales', 'rows')

  await stepItem(page, 'Step_2').click()
  await page.getByTestId('step-name').fill('Summarize')
  // The variables defined by earlier steps are offered, with where they come from.
  await expect(page.getByTestId('input-mapping-suggestions')).toContainText('sales')
  await page.getByTestId('input-mapping-suggestions').getByRole('button', { name: 'sales' }).click()
  await page.getByTestId('input-mapping-key').last().fill('numbers')
  await setCode(
    page,
    script(`total = sum(variables["numbers"])\nprint(f"total {total}", file=sys.stderr)\nprint(json.dumps({"total": total}))`)
  )
  await addMapping(page, 'output-mapping', 'total', 'total')

  await stepItem(page, 'Step_3').click()
  await page.getByTestId('step-name').fill('Save_Report')
  await addMapping(page, 'input-mapping', 'value', 'totl')
  // A name no earlier step defines is flagged before the run would fail on it.
  await expect(page.getByTestId('input-mapping-warning')).toContainText('totl')
  await page.getByTestId('input-mapping-value').last().fill('total')
  await expect(page.getByTestId('input-mapping-warning')).toHaveCount(0)
  await page.getByTestId('step-timeout').fill('30')
  await shot(page, 'editor')

  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('saved-marker')).toBeVisible()
  await expect(page.getByTestId('unsaved-marker')).toHaveCount(0)

  // What was saved is what comes back after a reload.
  await page.reload()
  await expect(page.getByTestId('step-item')).toHaveText([/Fetch_Sales/, /Summarize/, /Save_Report/])
  await stepItem(page, 'Save_Report').click()
  await expect(page.getByTestId('input-mapping-value')).toHaveValue('total')
  await expect(page.getByTestId('step-timeout')).toHaveValue('30')

  // The graph shows the steps and which variables flow where.
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-node')).toHaveCount(3)
  await expect
    .poll(async () => (await page.locator('.react-flow__edge-text').allTextContents()).sort())
    .toEqual(['sales → numbers', 'total → value'])
  await shot(page, 'graph')
  expect(pageErrors(page)).toEqual([])
})

test('reorder steps by keyboard and by dragging; leaving with unsaved changes asks', async ({ page }) => {
  await openApp(page)
  await createWorkflow(page, 'Reorder me')
  await setCode(page, 'print("only in Reorder me")\n')
  await page.getByTestId('add-step').click()
  await page.getByTestId('add-step').click()
  await expect(page.getByTestId('step-item')).toHaveText([/Step_1/, /Step_2/, /Step_3/])

  await stepItem(page, 'Step_1').focus()
  await page.keyboard.press('Alt+ArrowDown')
  await expect(page.getByTestId('step-item')).toHaveText([/Step_2/, /Step_1/, /Step_3/])
  await expect(stepItem(page, 'Step_1')).toBeFocused()

  await stepItem(page, 'Step_3').dragTo(stepItem(page, 'Step_2'), { targetPosition: { x: 40, y: 4 } })
  await expect(page.getByTestId('step-item')).toHaveText([/Step_3/, /Step_2/, /Step_1/])

  // Deleting a step asks first.
  await stepItem(page, 'Step_2').click()
  await stepItem(page, 'Step_2').getByTestId('step-delete').click()
  await expect(page.getByTestId('confirm-dialog')).toBeVisible()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('step-item')).toHaveText([/Step_3/, /Step_1/])

  await page.getByTestId('new-workflow').click()
  await page.getByTestId('prompt-input').fill('Other')
  await page.getByTestId('prompt-ok').click()
  // Creating another workflow with unsaved changes: asked to save, cancel keeps us here.
  await expect(page.getByTestId('confirm-dialog')).toBeVisible()
  await page.getByTestId('confirm-cancel').click()
  await expect(page.getByTestId('workflow-title')).toHaveText('Reorder me')
  await expect(page.getByTestId('unsaved-marker')).toBeVisible()

  // Save from the question: the order is kept.
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('prompt-input').fill('Other')
  await page.getByTestId('prompt-ok').click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('workflow-title')).toHaveText('Other')
  // Both workflows' first step is "step-1": undo in the new one must not bring back the other's code.
  const content = page.getByTestId('code-editor').locator('.cm-content')
  const template = await content.innerText()
  await content.click()
  await page.keyboard.press('ControlOrMeta+z')
  await page.keyboard.press('ControlOrMeta+z')
  await expect(content).not.toContainText('only in Reorder me')
  expect(await content.innerText()).toBe(template)
  await expect(page.getByTestId('saved-marker')).toBeVisible()
  await page.locator('[data-testid="workflow-item"][data-name="Reorder me"] .workflow-open').click()
  await expect(page.getByTestId('step-item')).toHaveText([/Step_3/, /Step_1/])
  expect(pageErrors(page)).toEqual([])
})

test('search, rename, duplicate, delete, import and export workflows', async ({ page, request }) => {
  await openApp(page)
  await createWorkflow(page, '매출 보고서')
  await createWorkflow(page, 'Inventory check')
  await queueDialogs(request, [`${process.cwd()}/examples/fetch-process-save.json`])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('workflow-title')).toHaveText('Fetch, process, save (reference example)')
  await expect(page.getByTestId('step-item')).toHaveText([/Fetch_Data/, /Process_Data/, /Save_Data/])
  await expect(page.getByTestId('workflow-item')).toHaveCount(3)
  await shot(page, 'workflows')

  await page.getByTestId('workflow-search').fill('매출')
  await expect(page.getByTestId('workflow-item')).toHaveCount(1)
  await page.getByTestId('workflow-search').fill('zzz')
  await expect(page.getByTestId('workflow-list-empty')).toContainText('zzz')
  await page.getByTestId('workflow-search').fill('')
  await expect(page.getByTestId('workflow-item')).toHaveCount(3)

  const item = (name: string) => page.locator(`[data-testid="workflow-item"][data-name="${name}"]`)
  await item('Inventory check').getByTestId('workflow-more').click()
  await page.getByTestId('wf-rename').click()
  await page.getByTestId('prompt-input').fill('Inventory count')
  await page.getByTestId('prompt-ok').click()
  await expect(item('Inventory count')).toBeVisible()

  await item('Inventory count').getByTestId('workflow-more').click()
  await page.getByTestId('wf-duplicate').click()
  await expect(page.getByTestId('workflow-title')).toHaveText('Inventory count (copy)')

  await item('Inventory count (copy)').getByTestId('workflow-more').click()
  await page.getByTestId('wf-delete').click()
  await expect(page.getByTestId('confirm-dialog')).toContainText('Inventory count (copy)')
  await page.getByTestId('confirm-cancel').click()
  await expect(item('Inventory count (copy)')).toBeVisible()
  await item('Inventory count (copy)').getByTestId('workflow-more').click()
  await page.getByTestId('wf-delete').click()
  await page.getByTestId('confirm-ok').click()
  await expect(item('Inventory count (copy)')).toHaveCount(0)
  await expect(page.getByTestId('workflow-item')).toHaveCount(3)

  const { workDir } = (await (await request.get('/__test/state')).json()) as { workDir: string }
  await item('매출 보고서').locator('.workflow-open').click()
  await queueDialogs(request, [`${workDir}/매출.json`])
  await item('매출 보고서').getByTestId('workflow-more').click()
  await page.getByTestId('wf-export').click()
  await expect(page.getByTestId('toast-success').filter({ hasText: '매출.json' })).toBeVisible()

  // A broken file is refused with a message that says what is wrong.
  await queueDialogs(request, [`${process.cwd()}/package.json`])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('toast-error')).toContainText('Could not import the workflow')
  expect(pageErrors(page)).toEqual([])
})
