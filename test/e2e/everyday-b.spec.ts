// Issue 14, items 1, 2 and 5, at a laptop's 1280×800 and a small 1024×640 window: panes that resize and
// hide (by mouse and keyboard) and remember their size, a log that wraps and can be searched, the code
// editor's Tab and its Esc-then-Tab way out, the shortcut list, and the history's filters and clean-up.
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
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
  shot
} from './helpers'

const REPORT = script(`
for i in range(1, 301):
    print(f"row {i}: " + ("매출 합계 " * 12 if i == 150 else "ok"), file=sys.stderr)
print("UNIQUE-NEEDLE found once", file=sys.stderr)
`)

async function invoke<T>(page: Page, channel: string, payload: unknown): Promise<T> {
  return page.evaluate(
    async ([c, p]) => {
      const w = globalThis as unknown as { stepwise: { invoke(c: string, p: unknown): Promise<{ ok: boolean; value: unknown }> } }
      return (await w.stepwise.invoke(c as string, p)).value
    },
    [channel, payload] as const
  ) as Promise<T>
}

async function runAndWait(page: Page, status: string): Promise<void> {
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', status, { timeout: 30_000 })
}

async function runReport(page: Page): Promise<void> {
  await createWorkflow(page, 'Daily report')
  await setCode(page, REPORT)
  await save(page)
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
}

atBothSizes((size) => {
  test('room to work: panes resize by keyboard and mouse, hide, and keep their size; logs wrap and search', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await runReport(page)

    // The step list: arrows on the focused handle, remembered after a reload.
    const listHandle = page.getByTestId('splitter-step-list')
    await expect(listHandle).toHaveAttribute('role', 'separator')
    await expect(listHandle).toHaveAttribute('aria-valuenow', '230')
    await listHandle.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect(listHandle).toHaveAttribute('aria-valuenow', '262')
    const listWidth = (await page.locator('.step-list-pane').boundingBox())!.width
    expect(Math.round(listWidth)).toBe(262)
    // And by mouse.
    const box = (await listHandle.boundingBox())!
    await page.mouse.move(box.x + 2, box.y + 100)
    await page.mouse.down()
    await page.mouse.move(box.x + 42, box.y + 100, { steps: 4 })
    await page.mouse.up()
    await expect(listHandle).toHaveAttribute('aria-valuenow', '302')

    // The run panel grows upwards from its handle.
    const runHandle = page.getByTestId('splitter-run-panel')
    const before = Number(await runHandle.getAttribute('aria-valuenow'))
    await runHandle.focus()
    await page.keyboard.press('ArrowUp')
    await expect(runHandle).toHaveAttribute('aria-valuenow', String(before + 16))

    await page.reload()
    await expect(page.getByTestId('sidebar')).toBeVisible()
    await page.getByTestId('workflow-item').first().click()
    await expect(page.getByTestId('splitter-step-list')).toHaveAttribute('aria-valuenow', '302')

    // Hidden and shown again, from buttons and from Enter on the handle.
    await page.getByTestId('hide-step-list').click()
    await expect(page.getByTestId('step-list')).toHaveCount(0)
    await page.getByTestId('show-step-list').click()
    await expect(page.getByTestId('step-list')).toBeVisible()
    await page.getByTestId('splitter-step-list').focus()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('show-step-list')).toBeVisible()
    await page.getByTestId('show-step-list').click()

    // The log: search shows the matching lines with their own numbers; wrapping keeps long lines readable.
    await page.getByTestId('run-workflow').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
    const log = page.getByTestId('log-view')
    await log.getByTestId('log-search').fill('unique-needle')
    await expect(log.getByTestId('log-matches')).toHaveText('1 matching')
    await expect(log.getByTestId('log-line')).toHaveCount(1)
    await expect(log.getByTestId('log-line')).toContainText('301')
    await expect(log.locator('mark.log-hit')).toHaveText('UNIQUE-NEEDLE')
    await log.getByTestId('log-search').fill('row 150:')
    await expect(log.getByTestId('log-line')).toHaveCount(1)
    const line = log.getByTestId('log-line')
    const oneRow = (await line.boundingBox())!.height
    await log.getByTestId('log-wrap').click()
    await expect(log.getByTestId('log-wrap')).toHaveAttribute('aria-pressed', 'true')
    await expect.poll(async () => (await line.boundingBox())!.height).toBeGreaterThan(oneRow)
    const lineBox = (await line.boundingBox())!
    const scrollBox = (await log.locator('.log-scroll').boundingBox())!
    expect(lineBox.x + lineBox.width).toBeLessThanOrEqual(scrollBox.x + scrollBox.width + 1)

    for (const id of ['log-search', 'log-wrap', 'run-workflow', 'splitter-run-panel', 'save-workflow', 'step-editor', 'step-timeout'])
      await noneClipped(page, id)
    await shot(page, `everyday-b-panes-${size}`)
    await expectAccessible(page)
    expect(pageErrors(page)).toEqual([])
  })

  test('keyboard: Tab indents in the editor, Esc then Tab leaves it; F1 and ? list the shortcuts', async ({ page, request }) => {
    await resetBridge(request)
    await openApp(page)
    await createWorkflow(page, 'Keys')
    await setCode(page, 'if True:\nx = 1')
    const content = page.getByTestId('code-editor').locator('.cm-content')
    await page.keyboard.press('Home')
    await page.keyboard.press('Tab')
    await expect.poll(() => content.innerText()).toContain('    x = 1')
    await expect(content).toBeFocused()
    await page.keyboard.press('Escape')
    await page.keyboard.press('Tab')
    await expect(content).not.toBeFocused()
    // Focus is visible wherever it went.
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')
    expect(outline).toBe('solid')

    // "?" typed into a field is a character, not the shortcut list.
    await page.getByTestId('tab-workflowSettings').click()
    const field = page.getByTestId('workflow-workdir')
    await field.fill('')
    await field.press('?')
    await expect(page.getByTestId('keyboard-help')).toHaveCount(0)
    await expect(field).toHaveValue('?')

    await page.getByTestId('tab-steps').click()
    await page.getByTestId('tab-steps').focus()
    await page.keyboard.press('F1')
    const help = page.getByTestId('keyboard-help')
    await expect(help).toBeVisible()
    await expect(help).toContainText('Esc, Tab')
    await expect(page.getByTestId('keyboard-help-close')).toBeFocused()
    // Focus stays inside while it is open.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      expect(
        await help.evaluate((el) => {
          const doc = (globalThis as unknown as { document: { activeElement: unknown } }).document
          return (el as unknown as { contains(node: unknown): boolean }).contains(doc.activeElement)
        })
      ).toBe(true)
    }
    await noneClipped(page, 'keyboard-help-close')
    await shot(page, `everyday-b-shortcuts-${size}`)
    await expectAccessible(page)
    await page.keyboard.press('Escape')
    await expect(help).toHaveCount(0)
    await expect(page.getByTestId('tab-steps')).toBeFocused()
    await page.keyboard.press('?')
    await expect(help).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(help).toHaveCount(0)
    expect(pageErrors(page)).toEqual([])
  })

  test('history: filters, sortable columns, durations; a run deleted with its kept files; kept days in Settings', async ({
    page,
    request
  }) => {
    await resetBridge(request)
    await openApp(page)
    await createWorkflow(page, 'Other workflow')
    await runAndWait(page, 'SUCCESS')
    await createWorkflow(page, '일일 보고서')
    await runAndWait(page, 'SUCCESS')
    await setCode(page, script(`open("없는 파일.xlsx")`))
    await save(page)
    await runAndWait(page, 'FAILED')
    // A debug run keeps its scripts: deleting it takes them along.
    await setCode(page, script(`print("{}")`))
    await save(page)
    await page.getByTestId('debug-toggle').check({ force: true })
    await runAndWait(page, 'SUCCESS')
    const runs = await invoke<{ id: string; workflow_name: string; status: string }[]>(page, 'executions:list', {})
    const debugRun = await invoke<{ id: string; steps: { script_path: string | null }[] }>(page, 'executions:get', { id: runs[0].id })
    const kept = dirname(debugRun.steps[0].script_path!)
    expect(existsSync(kept)).toBe(true)

    await page.getByTestId('tab-history').click()
    const rows = page.getByTestId('history-row')
    await expect(rows).toHaveCount(3)
    await expect(page.getByTestId('history-duration').first()).toHaveText(/\d+(\.\d)? ?(ms|s)/)

    // Status, text in the error, and the day range narrow the list.
    await page.getByTestId('history-status-filter').selectOption('FAILED')
    await expect(rows).toHaveCount(1)
    await expect(page.getByTestId('history-count')).toHaveText('1 of 3 runs shown')
    await page.getByTestId('history-status-filter').selectOption('')
    await page.getByTestId('history-error-filter').fill('filenotfounderror')
    await expect(rows).toHaveCount(1)
    await expect(rows.first()).toHaveAttribute('data-status', 'FAILED')
    await page.getByTestId('history-error-filter').fill('')
    const today = new Date()
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    await page.getByTestId('history-from').fill(day(new Date(today.getTime() + 86_400_000)))
    await expect(rows).toHaveCount(0)
    await page.getByTestId('history-from').fill(day(today))
    await expect(rows).toHaveCount(3)

    // Sorting by status puts FAILED first (alphabetically by code) and says so to screen readers.
    await page.getByTestId('history-sort-status').click()
    await expect(page.locator('th[aria-sort="ascending"]')).toContainText('Status')
    await expect(rows.first()).toHaveAttribute('data-status', 'FAILED')
    await page.getByTestId('history-sort-started').click()
    await expect(page.locator('th[aria-sort="descending"]')).toContainText('Started')

    // All workflows: the other workflow's run, with a workflow column.
    await page.getByTestId('history-workflow-filter').selectOption('*')
    await expect(rows).toHaveCount(4)
    await expect(page.getByTestId('history-workflow').filter({ hasText: 'Other workflow' })).toHaveCount(1)
    for (let i = 0; i < 4; i++) await noneClipped(page, 'history-row')
    const last = (await rows.last().boundingBox())!
    const pane = (await page.locator('.history-list-pane').boundingBox())!
    expect(last.x + last.width).toBeLessThanOrEqual(pane.x + pane.width + 1)
    await shot(page, `everyday-b-history-${size}`)
    await expectAccessible(page)
    await page.getByTestId('history-workflow-filter').selectOption('')
    await expect(rows).toHaveCount(3)

    // Deleting the debug run removes its kept folder too.
    await page.locator(`[data-testid="history-row"]`).first().click()
    await expect(page.getByTestId('execution-detail')).toHaveAttribute('data-execution-id', debugRun.id)
    await page.getByTestId('delete-run').click()
    await page.getByTestId('confirm-ok').click()
    await expect(rows).toHaveCount(2)
    await expect.poll(() => existsSync(kept)).toBe(false)

    // Settings: keep history for N days.
    await page.getByTestId('open-settings').click()
    const keep = page.getByTestId('settings-keep-days')
    await keep.fill('30')
    await keep.blur()
    await expect.poll(async () => (await invoke<{ history_keep_days: number | null }>(page, 'settings:get', {})).history_keep_days).toBe(30)
    await keep.fill('0')
    await expect(keep).toHaveAttribute('aria-invalid', 'true')
    await keep.fill('')
    await keep.blur()
    await expect
      .poll(async () => (await invoke<{ history_keep_days: number | null }>(page, 'settings:get', {})).history_keep_days)
      .toBe(null)
    await keep.scrollIntoViewIfNeeded()
    await noneClipped(page, 'settings-keep-days')
    await shot(page, `everyday-b-settings-history-${size}`)
    await expectAccessible(page)
    expect(pageErrors(page)).toEqual([])
  })
})
