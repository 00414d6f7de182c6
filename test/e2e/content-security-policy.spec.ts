// The built renderer under its real Content-Security-Policy, with no 'unsafe-inline' for styles: using the
// main screens (CodeMirror's editor, React Flow's graph, a run, the kept-file viewer, history, settings)
// raises no securitypolicyviolation event and no CSP console error.
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { openApp, queueDialogs, resetBridge, runStep } from './helpers'

const EXAMPLE = join(process.cwd(), 'examples/fetch-process-save.json')

type Violation = { directive: string; blocked: string; sample: string; where: string }
// The spec is type-checked for Node (no DOM types): the page's globals are described here.
type PageGlobals = {
  __csp: Violation[]
  document: {
    addEventListener(
      type: string,
      fn: (e: {
        violatedDirective: string
        blockedURI: string
        sample: string
        sourceFile: string
        lineNumber: number
        columnNumber: number
      }) => void
    ): void
    createElement(tag: string): { textContent: string }
    head: { append(node: unknown): void }
  }
}
const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__csp)

test('the main screens run under a strict CSP without a single violation', async ({ page, request }) => {
  await page.addInitScript(() => {
    const page = globalThis as unknown as PageGlobals
    const seen: Violation[] = (page.__csp = [])
    page.document.addEventListener('securitypolicyviolation', (e) =>
      seen.push({
        directive: e.violatedDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        where: `${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`
      })
    )
  })
  const cspConsole: string[] = []
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) cspConsole.push(m.text())
  })
  await resetBridge(request)
  const response = await page.request.get('/')
  const header = response.headers()['content-security-policy']
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(await response.text())?.[1]
  for (const policy of [header, meta]) {
    expect(policy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{24}';/)
    expect(policy).not.toContain('unsafe-inline')
    expect(policy).not.toContain('unsafe-eval')
  }

  await openApp(page)
  await queueDialogs(request, [EXAMPLE])
  await page.getByTestId('import-workflow').click()
  await expect(page.getByTestId('step-item')).toHaveCount(3)

  // The editor: CodeMirror's themes, gutters, search panel.
  const content = page.getByTestId('code-editor').locator('.cm-content')
  await content.click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.press('Enter')
  await page.keyboard.type('# edited')
  await page.keyboard.press('ControlOrMeta+f')
  await expect(page.locator('.cm-search')).toBeVisible()
  await page.keyboard.press('Escape')
  await page.keyboard.press('ControlOrMeta+s')

  // The graph: React Flow's nodes, edges, controls.
  await page.getByTestId('tab-graph').click()
  await expect(page.getByTestId('graph-node')).toHaveCount(3)
  await page.getByTestId('tab-steps').click()

  // A debug run, its panel, and a kept script in the viewer.
  await page.getByTestId('debug-toggle').check({ force: true })
  await page.getByTestId('run-workflow').click()
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
  await runStep(page, 'Process_Data').click()
  await page.getByTestId('debug-files').getByTestId('open-script').click()
  await expect(page.getByTestId('kept-file-viewer').locator('.cm-line').first()).toBeVisible()
  await page.getByTestId('viewer-close').click()

  await page.getByTestId('tab-history').click()
  await page.getByTestId('history-row').first().getByTestId('history-open').click()
  await page.getByTestId('open-settings').click()
  await expect(page.getByTestId('settings-screen')).toBeVisible()
  await page.getByTestId('settings-theme').selectOption('dark')

  expect(await violations(page)).toEqual([])
  expect(cspConsole).toEqual([])

  // The watch is real: an inline <style> is refused and seen.
  await page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    const style = document.createElement('style')
    style.textContent = 'body { outline: 1px solid red }'
    document.head.append(style)
  })
  // (Seen once per policy: the page's <meta> and the response header.)
  await expect.poll(async () => (await violations(page)).length).toBeGreaterThan(0)
  expect((await violations(page)).map((v) => v.directive)).toEqual(expect.arrayContaining([expect.stringMatching(/^style-src/)]))
  expect((await violations(page)).every((v) => v.directive.startsWith('style-src') && v.blocked === 'inline')).toBe(true)
})
