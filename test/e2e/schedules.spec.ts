// The Schedules view and the schedule editor in English and Korean: the sentence and next 5 runs follow
// what is typed, an invalid expression is refused with the reason, and an added schedule is listed.
// docs/screenshots come from `npm run screenshots`, so a test run never rewrites them.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { openApp, pageErrors, queueDialogs, resetBridge, shot } from './helpers'

const EXAMPLE = join(process.cwd(), 'examples/fetch-process-save.json')

for (const [locale, lang, weekdays9, invalid] of [
  ['en-US', 'en', 'At 09:00 AM, Monday through Friday', 'Invalid cron'],
  ['ko-KR', 'ko', '오전 09:00, 월요일부터 금요일까지', '올바르지 않습니다']
] as const) {
  test(`schedules view and editor (${lang})`, async ({ page, request }) => {
    await resetBridge(request, locale)
    await openApp(page)
    await queueDialogs(request, [EXAMPLE])
    await page.getByTestId('import-workflow').click()
    await expect(page.getByTestId('step-item')).toHaveCount(3)

    await page.getByTestId('open-schedules').click()
    const editor = page.getByTestId('schedule-editor')
    await expect(editor.getByTestId('schedule-sentence')).toContainText(weekdays9)
    await expect(editor.getByTestId('schedule-next-runs').locator('li')).toHaveCount(5)

    await editor.getByTestId('schedule-preset').selectOption('custom')
    await editor.getByTestId('schedule-cron').fill('61 * * * *')
    await expect(editor.getByTestId('schedule-preview')).toContainText(invalid)
    await expect(editor.getByTestId('schedule-add')).toBeDisabled()
    await editor.getByTestId('schedule-cron').fill('*/15 8-18 * * 1-5')
    await editor.getByTestId('schedule-tz').fill('Asia/Seoul')
    await expect(editor.getByTestId('schedule-next-runs').locator('li')).toHaveCount(5)
    await shot(page, `schedule-editor-${lang}`)

    await editor.getByTestId('schedule-preset').selectOption('weekdays')
    await editor.getByTestId('schedule-add').click()
    const row = page.getByTestId('schedule-row')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(weekdays9)
    await expect(row).toContainText('Asia/Seoul')
    await shot(page, `schedules-view-${lang}`)
    expect(pageErrors(page)).toEqual([])
  })
}

for (const [locale, lang, noEvents, noMatch, missing] of [
  ['en-US', 'en', 'Choose at least one: a new file or a changed file.', 'No file in the folder matches *.csv yet', 'does not exist'],
  [
    'ko-KR',
    'ko',
    '새 파일 또는 변경된 파일 중 하나 이상을 선택하세요.',
    '아직 폴더에 *.csv와(과) 일치하는 파일이 없습니다',
    '이(가) 없습니다(삭제되었거나 이름이 바뀌었거나'
  ]
] as const) {
  test(`adds a folder trigger, with what is wrong said beside the field (${lang})`, async ({ page, request }) => {
    const inbox = mkdtempSync(join(tmpdir(), 'stepwise-inbox-'))
    const done = mkdtempSync(join(tmpdir(), 'stepwise-done-'))
    await resetBridge(request, locale)
    await openApp(page)
    await queueDialogs(request, [EXAMPLE])
    await page.getByTestId('import-workflow').click()
    await expect(page.getByTestId('step-item')).toHaveCount(3)
    await page.getByTestId('open-schedules').click()
    const editor = page.getByTestId('trigger-editor')

    // Nothing filled in: each problem is named at its field and nothing is stored.
    await editor.getByTestId('trigger-pattern').fill('')
    await editor.getByTestId('trigger-on-add').uncheck()
    await editor.getByTestId('trigger-move').check()
    await editor.getByTestId('trigger-add').click()
    await expect(editor.getByTestId('trigger-folder-error')).toBeVisible()
    await expect(editor.getByTestId('trigger-pattern-error')).toBeVisible()
    await expect(editor.getByTestId('trigger-events-error')).toHaveText(noEvents)
    await expect(editor.getByTestId('trigger-move-to-error')).toBeVisible()
    await expect(page.getByTestId('trigger-row')).toHaveCount(0)

    // A folder that does not exist is refused by the main process, with the reason.
    await editor.getByTestId('trigger-folder').fill(join(inbox, 'gone'))
    await editor.getByTestId('trigger-pattern').fill('*.csv')
    await editor.getByTestId('trigger-on-add').check()
    await editor.getByTestId('trigger-move').uncheck()
    await editor.getByTestId('trigger-add').click()
    await expect(editor.getByTestId('trigger-refused')).toContainText(missing)
    await expect(page.getByTestId('trigger-row')).toHaveCount(0)

    // Chosen with the folder picker; moved files go elsewhere; polling for a synced folder.
    await queueDialogs(request, [inbox])
    await editor.getByTestId('trigger-folder-pick').click()
    await expect(editor.getByTestId('trigger-folder')).toHaveValue(inbox)
    await editor.getByTestId('trigger-on-change').check()
    await editor.getByTestId('trigger-existing').check()
    await editor.getByTestId('trigger-poll').check()
    await editor.getByTestId('trigger-move').check()
    await editor.getByTestId('trigger-move-to').fill(inbox)
    await editor.getByTestId('trigger-add').click()
    await expect(editor.getByTestId('trigger-move-to-error')).toBeVisible()
    await editor.getByTestId('trigger-move-to').fill(done)
    await editor.getByTestId('trigger-add').click()
    const row = page.getByTestId('trigger-row')
    await expect(row).toHaveCount(1)
    await expect(row).toContainText(inbox)
    await expect(row).toContainText('*.csv')
    await expect(editor.getByTestId('trigger-warning')).toContainText(noMatch)
    await page.screenshot({ path: `test-results/screenshots/trigger-editor-${lang}.png`, fullPage: true })
    expect(pageErrors(page)).toEqual([])
  })
}

test('history shows who started each run and filters by it', async ({ page, request }) => {
  await resetBridge(request, 'en-US')
  await openApp(page)
  await queueDialogs(request, [EXAMPLE])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await page.getByTestId('tab-history').click()
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  const filter = page.getByTestId('history-trigger-filter')
  await filter.selectOption('schedule')
  await expect(page.getByTestId('history-row')).toHaveCount(0)
  await expect(page.getByTestId('history-empty')).toHaveText('No runs of this workflow were started by: Schedule.')
  await filter.selectOption('manual')
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  await filter.selectOption('')
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  expect(pageErrors(page)).toEqual([])
})
