// Debug mode keeps each step's files and offers them; scripts export to a folder; settings change the
// interpreter, timeout, theme and language, and Korean is complete.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { openApp, pageErrors, queueDialogs, resetBridge, runStep, shellCalls, shot, stepItem } from './helpers'

const EXAMPLE = join(process.cwd(), 'examples/fetch-process-save.json')

test('debug mode keeps the files of each step: open them, show them, copy the command that re-runs the step', async ({ page, request }) => {
  await resetBridge(request)
  await openApp(page)
  await queueDialogs(request, [EXAMPLE])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)

  await page.getByTestId('debug-toggle').check({ force: true })
  await expect(page.getByTestId('debug-toggle')).toBeChecked()
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(page.getByTestId('run-debug-badge')).toBeVisible()

  await runStep(page, 'Process_Data').click()
  const files = page.getByTestId('debug-files')
  await expect(files).toBeVisible()
  const scriptPath = (await files.getByTestId('debug-script-path').textContent())!
  const variablesPath = (await files.getByTestId('debug-variables-path').textContent())!
  expect(scriptPath).toMatch(/step_2_Process_Data\.py$/)
  expect(existsSync(scriptPath)).toBe(true)
  expect(JSON.parse(readFileSync(variablesPath, 'utf8'))).toHaveProperty('input')
  const command = await files.getByTestId('debug-command').inputValue()
  // POSIX here (the bridge runs on Linux): single quotes, so a $ in a path is not expanded.
  expect(command).toMatch(
    new RegExp(`^cd '[^']+' && '.+python[^']*' '${scriptPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' --variables-file '.+'$`)
  )
  expect(command.endsWith(`--variables-file '${variablesPath}'`)).toBe(true)
  await files.evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await shot(page, 'debug-run')

  // A kept script is shown in the app, never handed to the system's "open" (which runs a .py on Windows).
  await files.getByTestId('open-script').click()
  const viewer = page.getByTestId('kept-file-viewer')
  await expect(viewer).toBeVisible()
  await expect(viewer.getByTestId('viewer-path')).toHaveText(scriptPath)
  await expect(viewer.locator('.cm-content')).toContainText(readFileSync(scriptPath, 'utf8').split('\n')[0])
  await expect(viewer.locator('.cm-lineNumbers')).toContainText('1')
  await expect(viewer.getByTestId('viewer-close')).toBeFocused()
  await shot(page, 'kept-script-viewer')
  await viewer.getByTestId('viewer-open-in-editor').click()
  await page.keyboard.press('Escape')
  await expect(viewer).toHaveCount(0)
  await expect(files.getByTestId('open-script')).toBeFocused()

  // The variables file is shown decoded and indented.
  await files.getByTestId('open-variables').click()
  await expect(viewer).toHaveAttribute('data-kind', 'variables')
  await expect(viewer.locator('.cm-content')).toContainText('"input": [')
  await viewer.getByTestId('viewer-close').click()

  await files.getByTestId('open-in-editor').click()
  await files.getByTestId('show-in-folder').click()
  await expect
    .poll(() => shellCalls(request))
    .toEqual([
      { kind: 'openInEditor', path: scriptPath },
      { kind: 'openInEditor', path: scriptPath },
      { kind: 'showItemInFolder', path: scriptPath }
    ])

  // The same files are offered from the history, and a replay of a debug run keeps its own.
  await page.getByTestId('tab-history').click()
  await page.getByTestId('history-row').first().getByTestId('history-open').click()
  const recorded = page.locator('[data-testid="history-step"][data-name="Save_Data"]')
  await recorded.locator('.history-step-head').click()
  await expect(recorded.getByTestId('debug-script-path')).toContainText('step_3_Save_Data.py')
  await expect(recorded.getByTestId('debug-command')).toHaveValue(/--variables-file/)
  expect(pageErrors(page)).toEqual([])
})

test('export step scripts to a folder, then show it', async ({ page, request }) => {
  const { workDir } = await resetBridge(request)
  await openApp(page)
  await queueDialogs(request, [EXAMPLE])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)
  await queueDialogs(request, [workDir])
  await page.getByTestId('export-scripts').click()
  const toast = page.getByTestId('toast-success').filter({ hasText: 'Exported 3 scripts' })
  await expect(toast).toBeVisible()
  const folder = (await toast.textContent())!.match(/to (.+workflow_scripts[^\s]*?)(Show folder|×|$)/)?.[1]
  expect(folder).toBeTruthy()
  const id = folder!.split(/[\\/]/).pop()!
  for (const name of ['step_0_Fetch_Data.py', 'step_1_Process_Data.py', 'step_2_Save_Data.py']) {
    expect(existsSync(join(workDir, 'workflow_scripts', id, name))).toBe(true)
  }
  await toast.getByTestId('toast-action').click()
  await expect.poll(() => shellCalls(request)).toEqual([{ kind: 'openPath', path: join(workDir, 'workflow_scripts', id) }])

  // A cancelled folder dialog does nothing and says nothing.
  await queueDialogs(request, [null])
  await page.getByTestId('export-scripts').click()
  await expect(page.getByTestId('toast-error')).toHaveCount(0)
})

test('settings: interpreter with its version, timeout, debug mode, theme, and Korean everywhere', async ({ page, request }) => {
  await resetBridge(request)
  await openApp(page)
  await queueDialogs(request, [EXAMPLE])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)

  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings-screen')).toBeVisible()
  await expect(page.getByTestId('settings-python')).toContainText(/Python 3\.\d+/)
  await expect(page.getByTestId('settings-python-version')).toContainText(/Python 3\.\d+/)
  await page.getByTestId('settings-timeout').fill('45')
  await page.getByTestId('settings-timeout').blur()
  await page.getByTestId('settings-debug').check({ force: true })
  // The parallel limit refuses 0 with the reason and keeps "automatic"; 3 is kept.
  await page.getByTestId('settings-max-parallel').fill('0')
  await page.getByTestId('settings-max-parallel').blur()
  await expect(page.getByTestId('settings-screen')).toContainText('Enter a whole number from 1 to 64')
  await page.getByTestId('settings-max-parallel').fill('3')
  await page.getByTestId('settings-max-parallel').blur()
  await shot(page, 'settings')

  // Settings persist: after a reload they are as set, and the editor shows the new default timeout.
  await page.reload()
  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings-timeout')).toHaveValue('45')
  await expect(page.getByTestId('settings-debug')).toBeChecked()
  await expect(page.getByTestId('settings-max-parallel')).toHaveValue('3')

  await page.getByTestId('settings-theme').selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByTestId('settings-theme').selectOption('light')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await page.getByTestId('settings-theme').selectOption('system')

  await page.getByTestId('settings-language').selectOption('ko')
  await expect(page.getByTestId('settings-screen')).toContainText('설정')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('tab-steps')).toHaveText('단계')
  await expect(page.getByTestId('run-workflow')).toContainText('실행')
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await expect(runStep(page, 'Fetch_Data').getByTestId('status-badge')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(stepItem(page, 'Fetch_Data')).toContainText('성공')
  await expect(page.getByTestId('step-timeout')).toHaveAttribute('placeholder', '기본값 (45)')
  await shot(page, 'korean')

  // No English left on the main screens (names of steps and code aside).
  const text = await page.locator('.runbar-actions, .tabs, .step-list-pane .pane-head, .mapping-head, .run-panel-head h2').allInnerTexts()
  expect(text.join(' ')).not.toMatch(/\b(Save|Run|Steps|History|Settings|Add|Variables|Output|Input)\b/)
  expect(pageErrors(page)).toEqual([])
})

test('a Korean system starts in Korean without any setting', async ({ page, request }) => {
  await resetBridge(request, 'ko-KR')
  await openApp(page)
  await expect(page.getByTestId('welcome')).toContainText('워크플로 만들기')
  await expect(page.getByTestId('new-workflow')).toContainText('새로 만들기')
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('prompt-input').fill('매출 정리')
  await page.getByTestId('prompt-ok').click()
  await expect(page.getByTestId('workflow-title')).toHaveText('매출 정리')
  await expect(page.getByTestId('saved-marker')).toHaveText('저장됨')
})
