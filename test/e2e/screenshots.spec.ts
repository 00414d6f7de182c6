// The screenshots in docs/screenshots, in English and Korean, light and dark, at a laptop's 1280×800. Not
// part of `npm test` (playwright.config.ts ignores this file, so CI never rewrites the docs): run
// `npm run screenshots`, then look at every image before committing them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { lineOf, openApp, queueDialogs, resetBridge, runStep, script, shot, stepItem } from './helpers'

test.use({ viewport: { width: 1280, height: 800 } })

const DOCS = join('docs', 'screenshots')

type Lang = 'en' | 'ko'

/** Names a Korean office worker or an English one would give their own report. */
const WORDS = {
  en: {
    workflow: 'Monthly sales report',
    read: 'Read sales',
    sum: 'Total by team',
    write: 'Write report',
    sales: 'Sales',
    marketing: 'Marketing'
  },
  ko: { workflow: '월간 매출 보고서', read: '매출 읽기', sum: '팀별 합계', write: '보고서 저장', sales: '영업팀', marketing: '마케팅팀' }
} as const

function readSales(lang: Lang): string {
  const w = WORDS[lang]
  return script(`
rows = [
    {"team": "${w.sales}", "amount": 1200},
    {"team": "${w.marketing}", "amount": 800},
    {"team": "${w.sales}", "amount": 450},
]
for i, row in enumerate(rows, 1):
    print(f"row {i}: {row['team']} {row['amount']}", file=sys.stderr)
print(json.dumps({"rows": rows}, ensure_ascii=False))`)
}

function totalByTeam(lang: Lang): string {
  const w = WORDS[lang]
  return script(`
TEAMS = {"2026-11": ["${w.sales}", "${w.marketing}"]}


def teams_for(month):
    return TEAMS[month]


totals = {team: sum(r["amount"] for r in variables["rows"] if r["team"] == team) for team in teams_for(variables["month"])}
print(f"{len(totals)} teams", file=sys.stderr)
print(json.dumps({"totals": totals}, ensure_ascii=False))`)
}

/** Waits for `gate` so the window can be caught mid-run; the script shown elsewhere stays plain. */
function writeReport(gate: string): string {
  return script(`
import os
month = variables["month"]
print(f"writing report-{month}.xlsx", file=sys.stderr, flush=True)
while not os.path.exists(${JSON.stringify(gate)}):
    time.sleep(0.05)
with open(f"report-{month}.xlsx", "wb") as f:
    f.write(b"PK")
with open(f"summary-{month}.txt", "w", encoding="utf-8") as f:
    f.write(json.dumps(variables["totals"], ensure_ascii=False))
print(f"saved report-{month}.xlsx", file=sys.stderr)
print(json.dumps({"file": f"report-{month}.xlsx"}))`)
}

function workflowFile(dir: string, lang: Lang, gate: string): string {
  const w = WORDS[lang]
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'report.stepwise.json')
  const step = (order: number, name: string, code: string, extra: object) => ({ order, name, step_type: 'PYTHON_SCRIPT', code, ...extra })
  writeFileSync(
    file,
    JSON.stringify({
      name: w.workflow,
      description: '',
      variables: { month: '2026-11' },
      steps: [
        step(0, w.read, readSales(lang), { output_mapping: { rows: 'rows' } }),
        step(1, w.sum, totalByTeam(lang), { input_mapping: { rows: 'rows', month: 'month' }, output_mapping: { totals: 'totals' } }),
        step(2, w.write, writeReport(gate), { input_mapping: { totals: 'totals', month: 'month' }, output_mapping: { file: 'file' } })
      ]
    })
  )
  return file
}

async function keep(page: Page, screen: string, lang: Lang, theme: string): Promise<void> {
  const name = `${screen}-${lang}-${theme}`
  await shot(page, name)
  // The window as the person sees it, not a tall scroll of the whole page.
  await page.screenshot({ path: join(DOCS, `${name}.png`) })
}

// The language is the project's (playwright.screenshots.config.ts): the browser is started in it.
for (const theme of ['light', 'dark'] as const) {
  test(`screenshots ${theme}`, async ({ page, request }, testInfo) => {
    const lang = testInfo.project.name as Lang
    const locale = lang === 'ko' ? 'ko-KR' : 'en-US'
    test.setTimeout(180_000)
    const w = WORDS[lang]
    const { dataDir } = await resetBridge(request, locale)
    await page.emulateMedia({ colorScheme: theme })
    await openApp(page)

    await expect(page.getByTestId('first-run-python')).toHaveAttribute('data-found', 'true')
    await keep(page, 'first-run', lang, theme)

    const gate = join(dataDir, 'shots', 'go')
    await queueDialogs(request, [workflowFile(join(dataDir, 'shots'), lang, gate)])
    await page.getByTestId('first-run-import').click()
    await expect(page.getByTestId('step-item')).toHaveCount(3)
    await stepItem(page, w.sum).click()
    await page.getByTestId('run-workflow').click()
    // Caught mid-run: two steps done, the third writing, its log line live.
    await expect(runStep(page, w.write)).toHaveAttribute('data-status', 'RUNNING', { timeout: 30_000 })
    await expect(page.getByTestId('log-view')).toContainText('writing report')
    await keep(page, 'running', lang, theme)
    writeFileSync(gate, '')
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
    await runStep(page, w.sum).click()
    // The step's own code rather than the prelude every template starts with.
    await page
      .getByTestId('code-editor')
      .locator('.cm-scroller')
      .evaluate((el) => {
        const box = el as unknown as { scrollTop: number; scrollHeight: number }
        box.scrollTop = box.scrollHeight
      })
    await keep(page, 'editor', lang, theme)

    await page.getByTestId('tab-graph').click()
    await expect(page.getByTestId('graph-node')).toHaveCount(3)
    await keep(page, 'graph', lang, theme)
    await page.getByTestId('tab-steps').click()

    // A month the script does not know: run with other values, and it fails with a traceback.
    await page.getByTestId('run-with').click()
    await page.getByTestId('run-with-variables').fill('{"month": "2026-12"}')
    await keep(page, 'run-with', lang, theme)
    await page.getByTestId('run-with-run').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'FAILED', { timeout: 30_000 })
    await expect(page.getByTestId('traceback-frame')).toHaveCount(2)
    await page.getByTestId('jump-to-error').click()
    await expect(page.getByTestId('code-editor').locator('.cm-error-line')).toHaveCount(1)
    await keep(page, 'failure', lang, theme)

    // History with the good run open: its steps and the files it wrote.
    await page.getByTestId('tab-history').click()
    await page.locator('[data-testid="history-row"][data-status="SUCCESS"]').getByTestId('history-open').click()
    await expect(page.getByTestId('history-outputs').getByTestId('output-file')).toHaveCount(2)
    await keep(page, 'history', lang, theme)
    await page.getByTestId('tab-steps').click()

    // The debugger paused at a breakpoint, its locals beside the code, the run panel folded away for room.
    await page.getByTestId('run-panel').getByRole('button', { expanded: true }).first().click()
    await stepItem(page, w.read).click()
    await page.locator(`[data-breakpoint-line="${lineOf(readSales(lang), 'print(json.dumps')}"]`).click()
    await page.getByTestId('debug-step').click()
    await expect.poll(async () => page.getByTestId('debug-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('paused')
    await expect(page.locator('[data-testid="debug-var"][data-name="rows"]')).toBeVisible()
    await keep(page, 'debugger-paused', lang, theme)
    await page.getByTestId('debug-stop').click()
    await expect.poll(async () => page.getByTestId('debug-status').getAttribute('data-status')).toBe('ended')

    await page.getByTestId('open-schedules').click()
    await keep(page, 'schedules', lang, theme)
    await page.getByTestId('open-settings').click()
    await keep(page, 'settings', lang, theme)
  })
}
