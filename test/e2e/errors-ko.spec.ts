// In the Korean window, the services' refusals arrive in Korean with what they name: a secret the workflow
// needs but nobody set, a cron with a field missing, a folder trigger on a folder that is not there, a
// package that cannot be found offline (an empty wheel folder, so pip gives up at once), "run only this
// step" before any run succeeded, and the failed run's own recorded error. At 1024×640 and 1280×800, each
// message whole on screen, and axe finds nothing serious.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { expectAccessible, openApp, pageErrors, queueDialogs, resetBridge, runStep, script, shot } from './helpers'

// venv + pip on a shared two-core machine: a minute is plenty, seconds are not.
const PREPARE_TIMEOUT = 120_000

const PREPARE = script(`
print(json.dumps({"rows": 3}))
`)
const BROKEN = script(`
raise RuntimeError("the share is not mounted")
`)

/** The message is on screen in full: inside the window, not cut by its own box nor by a box around it. */
async function expectWhole(page: Page, message: Locator): Promise<void> {
  await message.scrollIntoViewIfNeeded()
  const box = (await message.boundingBox())!
  const { width, height } = page.viewportSize()!
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(width + 1)
  expect(box.y + box.height).toBeLessThanOrEqual(height + 1)
  const cut = await message.evaluate((el) => {
    const problems: string[] = []
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`own width ${el.scrollWidth} > ${el.clientWidth}`)
    if (el.scrollHeight > el.clientHeight + 1) problems.push(`own height ${el.scrollHeight} > ${el.clientHeight}`)
    const r = el.getBoundingClientRect()
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = el.ownerDocument.defaultView!.getComputedStyle(a)
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue
      const p = a.getBoundingClientRect()
      if (r.left < p.left - 1 || r.right > p.right + 1 || r.top < p.top - 1 || r.bottom > p.bottom + 1)
        problems.push(`cut by ${a.tagName}.${a.className}`)
    }
    return problems
  })
  expect(cut).toEqual([])
}

/** The test's screenshot (test-results; the ones in docs/screenshots were taken from these and looked at). */
async function keep(page: Page, name: string, size: string): Promise<void> {
  await shot(page, `${name}-${size}`)
}

async function importWorkflow(page: Page, request: APIRequestContext, dir: string, file: object, steps: number): Promise<void> {
  const path = join(dir, `errors-ko-${Date.now()}.json`)
  writeFileSync(path, JSON.stringify(file), 'utf8')
  await queueDialogs(request, [path])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('workflow-title')).toHaveText((file as { name: string }).name)
  await expect(page.getByTestId('step-item')).toHaveCount(steps)
}

async function invoke(page: Page, channel: string, params: object): Promise<void> {
  const ok = await page.evaluate(
    async ([c, p]) => {
      const w = globalThis as unknown as { stepwise: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> } }
      return (await w.stepwise.invoke(c as string, p)).ok
    },
    [channel, params] as const
  )
  expect(ok).toBe(true)
}

async function dismissToasts(page: Page): Promise<void> {
  for (const close of await page.locator('[data-testid^="toast-"] button[aria-label]').all()) await close.click()
  await expect(page.locator('[data-testid^="toast-"]')).toHaveCount(0)
}

for (const [width, height] of [
  [1024, 640],
  [1280, 800]
] as const) {
  test(`errors of secrets, schedules, packages and run-only are Korean with their names, whole on screen (${width}×${height})`, async ({
    page,
    request
  }) => {
    test.setTimeout(PREPARE_TIMEOUT + 60_000)
    await page.setViewportSize({ width, height })
    const { dataDir } = await resetBridge(request, 'ko-KR')
    await openApp(page)
    const size = `${width}x${height}`

    // A secret: the workflow hands API_TOKEN to its steps, and nobody has set it.
    await importWorkflow(
      page,
      request,
      dataDir,
      {
        name: '일일 보고',
        env: { TOKEN: { secret: 'API_TOKEN' } },
        steps: [{ order: 0, name: '보고서', step_type: 'PYTHON_SCRIPT', code: PREPARE }]
      },
      1
    )
    await page.getByTestId('run-workflow').click()
    const secretToast = page.getByTestId('toast-error')
    await expect(secretToast).toContainText('“일일 보고”에 필요한 비밀 값 API_TOKEN(TOKEN에 사용)이(가) 설정되어 있지 않습니다')
    await expect(secretToast).not.toContainText('is not set')
    await expectWhole(page, secretToast)
    await expectAccessible(page, 'secret refused')
    await keep(page, 'errors-ko-secret', size)
    await dismissToasts(page)

    // A schedule: a cron with four fields, refused in the editor's preview.
    await page.getByTestId('open-schedules').click()
    const editor = page.getByTestId('schedule-editor')
    await editor.getByTestId('schedule-preset').selectOption('custom')
    await editor.getByTestId('schedule-cron').fill('0 9 * *')
    const cronError = editor.getByTestId('schedule-preview-error')
    await expect(cronError).toHaveText('cron “0 9 * *”의 필드가 4개입니다. 5개(분 시 일 월 요일) 또는 맨 앞에 초를 더한 6개로 쓰세요.')
    await expect(editor.getByTestId('schedule-add')).toBeDisabled()
    await expectWhole(page, cronError)
    await expectAccessible(page, 'cron refused')
    // A folder trigger on a folder that is not there (a network drive not connected).
    const gone = join(dataDir, '공유 폴더', '받은 편지함')
    const triggers = page.getByTestId('trigger-editor')
    await triggers.getByTestId('trigger-folder').fill(gone)
    await triggers.getByTestId('trigger-add').click()
    const triggerRefused = triggers.getByTestId('trigger-refused')
    await expect(triggerRefused).toHaveText(
      `트리거를 추가하지 못했습니다: 폴더 “${gone}”이(가) 없습니다(삭제되었거나 이름이 바뀌었거나 드라이브가 연결되어 있지 않습니다).`
    )
    await expectWhole(page, triggerRefused)
    await expectAccessible(page, 'trigger refused')
    await keep(page, 'errors-ko-trigger', size)
    await page.getByTestId('schedule-editor').scrollIntoViewIfNeeded()
    await keep(page, 'errors-ko-schedule', size)

    // A package: offline, with a wheel folder that holds nothing, so pip looks there only and gives up at once.
    const wheels = join(dataDir, '빈 휠 폴더')
    mkdirSync(wheels, { recursive: true })
    await invoke(page, 'settings:update', { patch: { package_offline: true, package_find_links: wheels } })
    await importWorkflow(
      page,
      request,
      dataDir,
      {
        name: '엑셀 정리',
        requirements: ['stepwise-no-such-pkg'],
        steps: [{ order: 0, name: '읽기', step_type: 'PYTHON_SCRIPT', code: PREPARE }]
      },
      1
    )
    await page.getByTestId('run-workflow').click()
    const packageMessage = page.getByTestId('package-preparation-message')
    await expect(packageMessage).toContainText(`${wheels}에서 패키지 stepwise-no-such-pkg을(를) 찾지 못했습니다`, {
      timeout: PREPARE_TIMEOUT
    })
    await expect(packageMessage).not.toContainText('was not found')
    await expectWhole(page, packageMessage)
    await expectAccessible(page, 'package refused')
    await keep(page, 'errors-ko-package', size)
    await page.getByTestId('package-preparation-dismiss').click()
    await dismissToasts(page)

    // Run only a step before any run of the workflow succeeded.
    await importWorkflow(
      page,
      request,
      dataDir,
      {
        name: '야간 적재',
        steps: [
          { order: 0, name: '준비', step_type: 'PYTHON_SCRIPT', code: PREPARE },
          { order: 1, name: '적재', step_type: 'PYTHON_SCRIPT', code: BROKEN }
        ]
      },
      2
    )
    const panel = page.getByTestId('run-panel')
    await page.getByTestId('run-workflow').click()
    await expect(panel).toHaveAttribute('data-status', 'FAILED', { timeout: 30_000 })
    // The run's recorded error is English in the store; the window says the engine's sentence in Korean,
    // Python's exception as Python wrote it.
    await expect(panel.getByTestId('run-error')).toHaveText(
      '단계 “적재”: 스크립트가 종료 코드 1(으)로 실패했습니다 — RuntimeError: the share is not mounted'
    )
    await runStep(page, '적재').click()
    await expect(page.getByTestId('step-error').locator('.error-headline')).toHaveText('스크립트가 종료 코드 1(으)로 실패했습니다')
    await panel.getByTestId('run-only-step').click()
    const onlyToast = page.getByTestId('toast-error')
    await expect(onlyToast).toContainText('“야간 적재”에는 “적재” 앞 단계들의 값을 가져올 성공한 실행이 아직 없습니다')
    await expectWhole(page, onlyToast)
    await expectAccessible(page, 'run-only refused')
    await keep(page, 'errors-ko-run-only', size)

    expect(pageErrors(page)).toEqual([])
  })
}
