// Issue 14, the everyday window, at a laptop's 1280×800 and a small 1024×640 window: the first-run start,
// errors in Korean, imports that never duplicate a name, Debug for one run, Run with… other values, a
// double-clicked workflow file and "Restart to update".
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { atBothSizes, noneClipped, openApp, pageErrors, queueDialogs, resetBridge, shot } from './helpers'

const EXAMPLE = join(process.cwd(), 'examples/fetch-process-save.json')
const EXAMPLE_NAME = 'Fetch, process, save (reference example)'

async function executions(page: Page): Promise<{ id: string; initial_variables?: unknown; debug?: boolean }[]> {
  return page.evaluate(async () => {
    const w = globalThis as unknown as { stepwise: { invoke(c: string, p: unknown): Promise<{ ok: boolean; value: unknown }> } }
    const list = (await w.stepwise.invoke('executions:list', {})).value as { id: string }[]
    return Promise.all(list.map(async (e) => (await w.stepwise.invoke('executions:get', { id: e.id })).value as { id: string }))
  })
}

async function openExample(page: Page): Promise<void> {
  await page.getByTestId('first-run-example').click()
  await expect(page.getByTestId('workflow-title')).toHaveText(EXAMPLE_NAME)
  await expect(page.getByTestId('step-item')).toHaveCount(3)
}

atBothSizes((size) => {
  test('first run: a short start with the Python found; Open example opens the example', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await expect(page.getByTestId('welcome')).toBeVisible()
    await expect(page.getByTestId('first-run-python')).toHaveAttribute('data-found', 'true')
    await expect(page.getByTestId('first-run-python')).toContainText(/Python 3\.\d+/)
    for (const id of ['first-run-new', 'first-run-example', 'first-run-import']) await noneClipped(page, id)
    await shot(page, `everyday-first-run-${size}`)
    await openExample(page)

    // New workflow starts from the template step.
    await page.getByTestId('new-workflow').click()
    await page.getByTestId('prompt-input').fill('일일 보고서')
    await page.getByTestId('prompt-ok').click()
    await expect(page.getByTestId('workflow-title')).toHaveText('일일 보고서')
    await expect(page.getByTestId('step-item')).toHaveCount(1)
    expect(pageErrors(page)).toEqual([])
  })

  test('errors reach the Korean window in Korean, with the English-only detail lines kept', async ({ page, request }) => {
    const { workDir } = await resetBridge(request, 'ko-KR')
    await openApp(page)
    await openExample(page)
    // A working folder that is not there: said in Korean, naming the folder.
    const missing = join(workDir, '없는 폴더')
    await page.getByTestId('tab-workflowSettings').click()
    await page.getByTestId('workflow-workdir').fill(missing)
    await page.getByTestId('run-workflow').click()
    const toast = page.getByTestId('toast-error').last()
    await expect(toast).toContainText('작업 폴더')
    await expect(toast).toContainText(missing)
    await expect(toast).toContainText('폴더를 만들거나 다른 폴더를 선택하세요')
    await expect(toast).not.toContainText('does not exist')
    await noneClipped(page, 'toast-error')
    await shot(page, `everyday-error-ko-${size}`)
    await toast.getByRole('button').last().click()

    // An invalid workflow file: the sentence in Korean, the file's problem lines as they are.
    const bad = join(workDir, 'bad.stepwise.json')
    writeFileSync(bad, JSON.stringify({ name: 'Bad', steps: [{ name: 'A', order: 'first' }] }))
    await queueDialogs(request, [bad])
    await page.getByTestId('import-workflow').click()
    const importError = page.getByTestId('toast-error').last()
    await expect(importError).toContainText('올바른 Stepwise 워크플로 파일이 아닙니다')
    await expect(importError).toContainText('steps[0]')
    expect(pageErrors(page)).toEqual([])
  })

  test('importing a workflow whose name exists gives "name (2)", "name (3)"', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await queueDialogs(request, [EXAMPLE, EXAMPLE, EXAMPLE])
    for (let i = 0; i < 3; i++) await page.getByTestId('import-workflow').click()
    await expect(page.getByTestId('workflow-item')).toHaveCount(3)
    const names = await page.getByTestId('workflow-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-name')))
    expect(names.sort()).toEqual([EXAMPLE_NAME, `${EXAMPLE_NAME} (2)`, `${EXAMPLE_NAME} (3)`].sort())
  })

  test('Debug this run: one workflow’s runs, never the Settings default', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await openExample(page)
    const toggle = page.getByTestId('debug-toggle')
    await expect(toggle).not.toBeChecked()
    await expect(page.getByTestId('run-bar')).toContainText('Debug this run')
    await noneClipped(page, 'run-with')
    await toggle.check({ force: true })
    await page.getByTestId('run-workflow').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
    await expect(page.getByTestId('run-debug-badge')).toBeVisible()
    await shot(page, `everyday-debug-run-${size}`)

    await page.getByTestId('open-settings').click()
    await expect(page.getByTestId('settings-debug')).not.toBeChecked()
    await expect(page.getByTestId('settings-screen')).toContainText('Debug every run by default')
    // The default applies to workflows whose run bar was not touched.
    await page.getByTestId('settings-debug').check({ force: true })
    await page.getByTestId('new-workflow').click()
    await page.getByTestId('prompt-input').fill('Other')
    await page.getByTestId('prompt-ok').click()
    await expect(page.getByTestId('debug-toggle')).toBeChecked()
  })

  test('Run with… other values: recorded on the run, saved into the workflow only when asked', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await openExample(page)
    await expect(page.getByTestId('variables-toggle')).toContainText('(0)')

    await page.getByTestId('run-with').click()
    const dialog = page.getByTestId('run-with-dialog')
    await expect(dialog).toBeVisible()
    await noneClipped(page, 'run-with-dialog')
    await page.getByTestId('run-with-variables').fill('{"city": "서울"')
    await expect(page.getByTestId('run-with-error')).toBeVisible()
    await expect(page.getByTestId('run-with-run')).toBeDisabled()
    await page.getByTestId('run-with-variables').fill('{"city": "서울", "count": 3}')
    await shot(page, `everyday-run-with-${size}`)
    await page.getByTestId('run-with-run').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
    await expect.poll(async () => (await executions(page))[0]?.initial_variables).toEqual({ city: '서울', count: 3 })
    // Not saved into the workflow.
    await expect(page.getByTestId('variables-toggle')).toContainText('(0)')
    await expect(page.getByTestId('saved-marker')).toBeVisible()

    // Asked: the values become the workflow's defaults, and the run has them too.
    await page.getByTestId('run-with').click()
    await page.getByTestId('run-with-variables').fill('{"city": "부산"}')
    await page.getByTestId('run-with-save-defaults').check({ force: true })
    await page.getByTestId('run-with-run').click()
    await expect(page.getByTestId('variables-toggle')).toContainText('(1)')
    await expect.poll(async () => (await executions(page)).length).toBe(2)
    await expect.poll(async () => (await executions(page)).map((e) => e.initial_variables)).toContainEqual({ city: '부산' })
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
    expect(pageErrors(page)).toEqual([])
  })

  test('a double-clicked .stepwise.json is imported and opened; Restart to update when one is ready', async ({ page, request }) => {
    const { workDir } = await resetBridge(request)
    await openApp(page)
    await openExample(page)
    const file = join(workDir, '주간 보고.stepwise.json')
    // A file the app cannot read as a workflow is refused with why, and the open workflow stays.
    const broken = join(workDir, 'broken.stepwise.json')
    writeFileSync(broken, JSON.stringify({ name: '주간 보고', steps: [{ name: 'Hello', order: 0, code: 'print("{}")' }] }))
    await openFile(request, broken)
    await expect(page.getByTestId('toast-error')).toContainText('Could not open the workflow file')
    await expect(page.getByTestId('toast-error')).toContainText('step_type')
    await expect(page.getByTestId('workflow-title')).toHaveText(EXAMPLE_NAME)

    writeFileSync(
      file,
      JSON.stringify({ name: '주간 보고', steps: [{ name: 'Hello', order: 0, step_type: 'PYTHON_SCRIPT', code: 'print("{}")' }] })
    )
    await openFile(request, file)
    await expect(page.getByTestId('workflow-title')).toHaveText('주간 보고')
    await expect(page.getByTestId('toast-success')).toContainText('주간 보고')

    await expect(page.getByTestId('update-bar')).toHaveCount(0)
    await request.post('/__test/update-ready', { data: { version: '0.2.0' } })
    await expect(page.getByTestId('update-bar')).toContainText('0.2.0')
    await noneClipped(page, 'restart-to-update')
    await shot(page, `everyday-update-${size}`)
    await page.getByTestId('restart-to-update').click()
    await expect.poll(async () => ((await (await request.get('/__test/restarts')).json()) as { restarts: number }).restarts).toBe(1)
    // A window loaded after the update arrived still offers it.
    await page.reload()
    await expect(page.getByTestId('update-bar')).toContainText('0.2.0')
    expect(pageErrors(page)).toEqual([])
  })
})

async function openFile(request: APIRequestContext, path: string): Promise<void> {
  const res = await request.post('/__test/open-file', { data: { path } })
  expect(res.ok()).toBeTruthy()
}
