// What every spec needs: a fresh bridge database, scripted dialog answers, the shell calls main made,
// editing CodeMirror like a person (select all, type), and screenshots of the main screens.
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test'

export interface BridgeState {
  dataDir: string
  workDir: string
}

export async function resetBridge(request: APIRequestContext, locale = 'en-US'): Promise<BridgeState> {
  const res = await request.post('/__test/reset', { data: { locale } })
  expect(res.ok()).toBeTruthy()
  return (await res.json()) as BridgeState
}

/** Answers for the next dialogs main opens (file, save or folder pickers), in order; null = cancelled. */
export async function queueDialogs(request: APIRequestContext, answers: (string | null)[]): Promise<void> {
  const res = await request.post('/__test/dialog', { data: { answers } })
  expect(res.ok()).toBeTruthy()
}

export async function shellCalls(request: APIRequestContext): Promise<{ kind: string; path: string }[]> {
  return (await (await request.get('/__test/shell-calls')).json()) as { kind: string; path: string }[]
}

export async function openApp(page: Page): Promise<void> {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) errors.push(m.text())
  })
  ;(page as Page & { stepwiseErrors?: string[] }).stepwiseErrors = errors
  await page.goto('/')
  await expect(page.getByTestId('sidebar')).toBeVisible()
}

/** Page errors and console errors seen since openApp: a clean run has none. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { stepwiseErrors?: string[] }).stepwiseErrors ?? []
}

export async function shot(page: Page, name: string): Promise<void> {
  // Let spinners and fades settle into a representative frame.
  await page.mouse.move(700, 2)
  // Confirmations that happen to be on screen would only hide the screen being shown; errors stay.
  for (const close of await page.locator('.toast-success button[aria-label], .toast-info button[aria-label]').all()) await close.click()
  await page.waitForTimeout(150)
  await page.screenshot({ path: `test-results/screenshots/${name}.png` })
}

export async function createWorkflow(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('prompt-input').fill(name)
  await page.getByTestId('prompt-ok').click()
  await expect(page.getByTestId('workflow-title')).toHaveText(name)
}

export function stepItem(page: Page, name: string): Locator {
  return page.locator(`[data-testid="step-item"][data-name="${name}"]`)
}

export function runStep(page: Page, name: string): Locator {
  return page.locator(`[data-testid="run-step"][data-name="${name}"]`)
}

/** Replaces the code in the open step's editor, as a person would: select all, then type/paste. */
export async function setCode(page: Page, code: string): Promise<void> {
  const content = page.getByTestId('code-editor').locator('.cm-content')
  await content.click()
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(code)
  await expect.poll(async () => (await content.innerText()).includes(code.trim().split('\n').pop()!.trim())).toBe(true)
}

const PRELUDE = `import json
import sys
import time


def load_variables():
    if '--variables-file' in sys.argv:
        with open(sys.argv[sys.argv.index('--variables-file') + 1], encoding='utf-8') as f:
            return json.load(f)
    return {}


variables = load_variables()
`

/** A step script following the protocol; `body` runs at module level after `variables` is read. */
export function script(body: string): string {
  return `${PRELUDE}${body.trim()}\n`
}

/** The 1-based line of the first line of `code` containing `text`. */
export function lineOf(code: string, text: string): number {
  return code.split('\n').findIndex((l) => l.includes(text)) + 1
}

export async function addMapping(page: Page, kind: 'input-mapping' | 'output-mapping', key: string, value: string): Promise<void> {
  const table = page.getByTestId(kind)
  await table.getByTestId(`${kind}-add`).click()
  await table.getByTestId(`${kind}-key`).last().fill(key)
  await table.getByTestId(`${kind}-value`).last().fill(value)
}

export async function save(page: Page): Promise<void> {
  await page.keyboard.press('ControlOrMeta+s')
  await expect(page.getByTestId('saved-marker')).toBeVisible()
}

/** Serious or critical axe findings on the screen as it is now (0 is the bar on every screen), each named with `what`. */
export async function axeProblems(page: Page, what = ''): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what ? `${what}: ` : ''}${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

export async function expectAccessible(page: Page, what = ''): Promise<void> {
  expect(await axeProblems(page, what)).toEqual([])
}

/** The first element with this test id lies inside the window; `scroll`: after scrolling its pane to it. */
export async function noneClipped(page: Page, testid: string, options: { scroll?: boolean } = {}): Promise<void> {
  const el = page.getByTestId(testid).first()
  if (options.scroll) await el.scrollIntoViewIfNeeded()
  const box = await el.boundingBox()
  const viewport = page.viewportSize()!
  expect(box, testid).not.toBeNull()
  expect(box!.x + box!.width, `${testid} fits the window`).toBeLessThanOrEqual(viewport.width + 1)
  expect(box!.y + box!.height, `${testid} fits the window`).toBeLessThanOrEqual(viewport.height + 1)
}

/** The window sizes the issue names: a 1024×640 window and a 1280×800 laptop. */
export const WINDOW_SIZES = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 }
]

/** The tests `body` declares, once at each window size, in a describe block named for it ("at 1024x640"). */
export function atBothSizes(body: (size: string) => void): void {
  for (const viewport of WINDOW_SIZES) {
    const size = `${viewport.width}x${viewport.height}`
    test.describe(`at ${size}`, () => {
      test.use({ viewport })
      body(size)
    })
  }
}
