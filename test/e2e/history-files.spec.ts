// Issue 14 item 4 in History: a past run opened there lists the files it created or changed, opened the
// same safe way as after a run (a document with the OS, a script in the viewer, never a script to the
// OS), with "Open working folder"; a file deleted since is shown as gone, not as an error.
import { existsSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import {
  atBothSizes,
  createWorkflow,
  expectAccessible,
  noneClipped,
  openApp,
  pageErrors,
  resetBridge,
  save,
  script,
  setCode,
  shellCalls,
  shot
} from './helpers'

const WRITER = script(`
open('매출 보고서.xlsx', 'wb').write(b'PK')
open('정리.py', 'w').write('print("tidy")')
open('임시.csv', 'w').write('a,b')
print("{}")
`)

atBothSizes((size) => {
  test('History shows a past run’s files, opened safely; one deleted since is shown as gone', async ({ page, request }) => {
    const { workDir } = await resetBridge(request)
    await openApp(page)
    await createWorkflow(page, '월간 정산')
    await setCode(page, WRITER)
    await save(page)
    await page.getByTestId('run-workflow').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
    // Someone tidied the folder after the run.
    unlinkSync(join(workDir, '임시.csv'))

    await page.getByTestId('tab-history').click()
    await page.getByTestId('history-open').first().click()
    const outputs = page.getByTestId('history-outputs')
    await expect(outputs.getByTestId('output-file')).toHaveCount(3)
    const file = (name: string) => outputs.getByTestId('output-file').filter({ hasText: name })
    await expect(file('임시.csv')).toHaveAttribute('data-gone', 'true')
    await expect(file('임시.csv').getByTestId('output-file-open')).toHaveCount(0)
    await expect(file('임시.csv')).toContainText('gone')
    await expect(file('매출 보고서.xlsx')).toHaveAttribute('data-opener', 'os')
    await expect(file('정리.py')).toHaveAttribute('data-opener', 'viewer')
    for (const id of ['open-working-folder', 'output-file-open']) await noneClipped(page, id, { scroll: true })
    await shot(page, `history-files-${size}`)
    await expectAccessible(page)

    // A document and the folder go to the OS; the script only to the viewer.
    await file('매출 보고서.xlsx').getByTestId('output-file-open').click()
    await outputs.getByTestId('open-working-folder').click()
    await expect
      .poll(async () => (await shellCalls(request)).map((c) => c.path))
      .toEqual(expect.arrayContaining([join(workDir, '매출 보고서.xlsx'), workDir]))
    await file('정리.py').getByTestId('output-file-open').click()
    const viewer = page.getByTestId('kept-file-viewer')
    await expect(viewer.locator('.cm-content')).toContainText('print("tidy")')
    await viewer.getByTestId('viewer-close').click()
    expect((await shellCalls(request)).some((c) => c.path.endsWith('.py') || c.path.endsWith('.csv'))).toBe(false)
    expect(existsSync(join(workDir, '정리.py'))).toBe(true)
    await expect(page.getByTestId('toast-error')).toHaveCount(0)

    // The same in Korean: the gone file is said so in Korean.
    await page.getByTestId('open-settings').click()
    await page.getByTestId('settings-language').selectOption('ko')
    await page.getByTestId('workflow-item').locator('.workflow-open').click()
    await page.getByTestId('tab-history').click()
    await page.getByTestId('history-open').first().click()
    await expect(page.getByTestId('history-outputs').getByTestId('output-file').filter({ hasText: '임시.csv' })).toContainText(
      '찾을 수 없음'
    )
    expect(pageErrors(page)).toEqual([])
  })
})
