// Packages per workflow in the real window: Settings → Packages set offline with a folder holding a wheel
// the test built; a step importing that package fails with ModuleNotFoundError; the failure card names the
// package and adds it and resumes in one click, the preparation shown as it goes, the run ending SUCCESS
// with the first step reused and the package listed in the workflow's settings. In Korean: a bad package
// line refused naming the line, a bad index address refused, and a failed install told in words with the
// installer's output one click away.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { buildWheel } from '../helpers/wheel'
import { createWorkflow, expectAccessible, openApp, pageErrors, queueDialogs, resetBridge, runStep, script, shot } from './helpers'

// venv + pip on a shared two-core machine: a minute is plenty, seconds are not.
const PREPARE_TIMEOUT = 120_000

const PREPARE = script(`
print("reading the sheet", file=sys.stderr)
print(json.dumps({"rows": 3}))
`)

const GREET = script(`
import stepwise_demo_pkg

print(json.dumps({"greeting": stepwise_demo_pkg.GREETING, "rows": variables["rows"]}))
`)

/** The offline switch, clicked as a person does: on its label (the checkbox itself is visually hidden). */
async function switchOffline(page: Page): Promise<void> {
  await page
    .locator('label.toggle')
    .filter({ has: page.getByTestId('settings-offline') })
    .click()
}

/** Settings → Packages: offline, with the wheel folder chosen in the folder dialog. */
async function useWheelFolderOffline(page: Page, request: APIRequestContext, wheels: string): Promise<void> {
  if (!(await page.getByTestId('settings-packages').isVisible())) await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings-packages')).toBeVisible()
  await queueDialogs(request, [wheels])
  await page.getByTestId('settings-wheel-folder-pick').click()
  await expect(page.getByTestId('settings-wheel-folder')).toHaveValue(wheels)
  if (!(await page.getByTestId('settings-offline').isChecked())) await switchOffline(page)
  await expect(page.getByTestId('settings-offline')).toBeChecked()
}

function wheelFolder(dataDir: string): string {
  const wheels = join(dataDir, 'wheels (휠)')
  mkdirSync(wheels, { recursive: true })
  buildWheel(wheels, 'stepwise-demo-pkg', '1.2.0', 'GREETING = "안녕하세요"\n')
  return wheels
}

test('a missing module is fixed in one click: the package is added, prepared offline from the wheel folder, and the run resumes to SUCCESS', async ({
  page,
  request
}) => {
  test.setTimeout(4 * 60_000)
  const { dataDir } = await resetBridge(request)
  const wheels = wheelFolder(dataDir)
  await openApp(page)
  await useWheelFolderOffline(page, request, wheels)
  await expect(page.getByTestId('settings-offline-warning')).toHaveCount(0)
  await expectAccessible(page, 'Settings → Packages')
  await shot(page, 'settings-packages')

  const file = join(dataDir, 'greet.json')
  writeFileSync(
    file,
    JSON.stringify({
      name: 'Greeting report',
      steps: [
        { order: 0, name: 'Prepare', step_type: 'PYTHON_SCRIPT', code: PREPARE, output_mapping: { rows: 'rows' } },
        { order: 1, name: 'Greet', step_type: 'PYTHON_SCRIPT', code: GREET }
      ]
    }),
    'utf8'
  )
  await queueDialogs(request, [file])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(2)

  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'FAILED', { timeout: 60_000 })
  await expect(runStep(page, 'Greet')).toHaveAttribute('data-status', 'FAILED')
  const fix = page.getByTestId('missing-package')
  await expect(fix).toHaveAttribute('data-package', 'stepwise-demo-pkg')
  await expect(fix).toContainText('Python could not find the module “stepwise_demo_pkg”. It comes from the package stepwise-demo-pkg.')
  await expectAccessible(page, 'the missing-module fix')
  await shot(page, 'missing-package-fix')

  await page.getByTestId('add-package-and-resume').click()
  // The environment is made while the person watches: "Preparing packages…" with pip's lines.
  const preparation = page.getByTestId('package-preparation')
  await expect(preparation).toContainText('Preparing packages…', { timeout: 30_000 })
  await expect(page.getByTestId('package-preparation-log')).toContainText('stepwise-demo-pkg', { timeout: PREPARE_TIMEOUT })
  await shot(page, 'packages-preparing')
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: PREPARE_TIMEOUT })
  await expect(preparation).toHaveCount(0)
  await expect(runStep(page, 'Prepare').getByTestId('run-step-reused')).toBeVisible()
  await expect(page.getByTestId('run-values-from')).toBeVisible()
  await runStep(page, 'Greet').click()
  await expect(page.getByTestId('step-output')).toContainText('안녕하세요')
  await shot(page, 'missing-package-resumed')

  // The editor followed: the package is in the workflow's settings, saved.
  await page.getByTestId('tab-workflowSettings').click()
  await expect(page.getByTestId('workflow-requirements')).toHaveValue('stepwise-demo-pkg')
  await expect(page.getByTestId('saved-marker')).toBeVisible()
  await expectAccessible(page, 'workflow settings with packages')
  await shot(page, 'workflow-packages')
  expect(pageErrors(page)).toEqual([])
})

test('in Korean: a bad package line and a bad index address are refused by name, a failed install is told with its output', async ({
  page,
  request
}) => {
  test.setTimeout(3 * 60_000)
  const { dataDir } = await resetBridge(request, 'ko-KR')
  const wheels = wheelFolder(dataDir)
  await openApp(page)

  await page.getByTestId('open-settings').click()
  await page.getByTestId('settings-index-url').fill('ftp://mirror.example.com/simple')
  await page.getByTestId('settings-index-url').blur()
  await expect(page.getByTestId('settings-index-url-error')).toHaveText(
    'http:// 또는 https://로 시작하고 공백이나 따옴표가 없는 주소를 쓰세요.'
  )
  await switchOffline(page)
  await expect(page.getByTestId('settings-offline-warning')).toContainText('휠 폴더')
  await page.reload()
  await page.getByTestId('open-settings').click()
  // The refused address was never saved; offline was.
  await expect(page.getByTestId('settings-index-url')).toHaveValue('')
  await expect(page.getByTestId('settings-offline')).toBeChecked()
  await useWheelFolderOffline(page, request, wheels)

  await createWorkflow(page, '주간 보고서')
  await page.getByTestId('tab-workflowSettings').click()
  await page.getByTestId('workflow-requirements').fill('openpyxl\n--index-url http://x')
  const refusal = '패키지 2번째 줄: “--index-url http://x”은(는) 패키지가 아니라 옵션입니다. 패키지를 받을 곳은 설정 → 패키지에서 정합니다.'
  await expect(page.getByTestId('workflow-requirements-problem')).toHaveText(refusal)
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('toast-error')).toContainText('아직 저장할 수 없습니다')
  await expect(page.getByTestId('toast-error')).toContainText(refusal)
  await expect(page.getByTestId('unsaved-marker')).toBeVisible()
  await expectAccessible(page, 'a refused package line')
  await shot(page, 'workflow-packages-refused')

  // A package the wheel folder does not have: the run never starts, and the reason is in the run area.
  await page.getByTestId('workflow-requirements').fill('stepwise-no-such-pkg')
  await expect(page.getByTestId('workflow-requirements-problem')).toHaveCount(0)
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('package-preparation-failed')).toHaveText('패키지를 준비하지 못했습니다: 패키지를 찾을 수 없습니다', {
    timeout: PREPARE_TIMEOUT
  })
  await expect(page.getByTestId('package-preparation-message')).toContainText('stepwise-no-such-pkg')
  await expect(page.getByTestId('run-panel')).toHaveCount(0)
  await page.getByTestId('show-installer-output').click()
  await expect(page.getByTestId('kept-file-viewer')).toBeVisible()
  await expect(page.locator('#kept-file-title')).toHaveText('패키지 설치 프로그램의 출력')
  await expect(page.getByTestId('viewer-text')).toContainText('No matching distribution found for stepwise-no-such-pkg')
  // Plain text, even under a test runner that sets FORCE_COLOR: no terminal colour codes.
  expect(await page.getByTestId('viewer-text').innerText()).not.toMatch(/\[(?:31|0)m/)
  await expectAccessible(page, 'the installer output')
  await shot(page, 'package-install-failed')
  await page.getByTestId('viewer-close').click()
  await page.getByTestId('package-preparation-dismiss').click()
  await expect(page.getByTestId('package-preparation')).toHaveCount(0)
  expect(pageErrors(page)).toEqual([])
})
