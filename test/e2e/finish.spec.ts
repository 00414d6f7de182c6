// Issue 13 §3–4 and issue 14 item 4 in the window: the live Variables pane while a run goes on, the kept
// variables file shown decoded, and the files a run wrote listed and opened safely, at a small 1024×640
// window and a laptop's 1280×800.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { atBothSizes, axeProblems, openApp, pageErrors, queueDialogs, resetBridge, runStep, script, shellCalls, shot } from './helpers'

/** A workflow whose second step waits for `gate` to exist, so the test decides when the run goes on. */
function writeWorkflow(dir: string, gate: string): string {
  const file = join(dir, '보고서.stepwise.json')
  writeFileSync(
    file,
    JSON.stringify({
      name: '월간 보고서',
      description: '',
      variables: { 부서: '영업팀' },
      steps: [
        {
          order: 0,
          name: 'Fetch',
          step_type: 'PYTHON_SCRIPT',
          code: script(`print(json.dumps({"title": "월간 보고서", "rows": [1, 2, 3]}))`),
          output_mapping: { 제목: 'title', rows: 'rows' }
        },
        {
          order: 1,
          name: 'Write',
          step_type: 'PYTHON_SCRIPT',
          code: script(`
import os
while not os.path.exists(${JSON.stringify(gate)}):
    time.sleep(0.05)
open('결과.xlsx', 'wb').write(b'PK')
open('tidy.py', 'w').write('print("tidy")')
print(json.dumps({"done": variables["제목"]}))`),
          input_mapping: { 제목: '제목' },
          output_mapping: { 결과: 'done' }
        }
      ]
    })
  )
  return file
}

atBothSizes((size) => {
  test('live variables during a run, the kept variables file decoded, and the files the run wrote', async ({ page, request }) => {
    const { dataDir, workDir } = await resetBridge(request)
    const gate = join(dataDir, 'gate', 'go')
    mkdirSync(join(dataDir, 'gate'), { recursive: true })
    await openApp(page)
    await queueDialogs(request, [writeWorkflow(dataDir, gate)])
    await page.getByTestId('import-workflow').click()
    await expect(page.getByTestId('step-item')).toHaveCount(2)

    await page.getByTestId('debug-toggle').check({ force: true })
    await page.getByTestId('run-workflow').click()
    await expect(runStep(page, 'Write')).toHaveAttribute('data-status', 'RUNNING', { timeout: 20_000 })

    // While the second step runs: the first one's variables, each with the step that set it.
    await page.getByTestId('show-variables').click()
    const pane = page.getByTestId('run-variables')
    const row = (name: string) => pane.locator(`[data-testid="run-variable"][data-name="${name}"]`)
    await expect(row('제목').getByTestId('run-variable-value')).toHaveText('"월간 보고서"')
    await expect(row('제목').getByTestId('run-variable-set-by')).toHaveText('1. Fetch')
    await expect(row('부서').getByTestId('run-variable-set-by')).toHaveText(/initial value/)
    await expect(row('결과')).toHaveCount(0)
    await shot(page, `finish-live-variables-${size}`)
    expect(await axeProblems(page)).toEqual([])
    // One click to the setter's inputs and outputs, while the run goes on.
    await row('제목').getByTestId('run-variable-step').click()
    await expect(page.getByTestId('step-run-details')).toHaveAttribute('data-step-id', /.+/)
    await expect(runStep(page, 'Fetch')).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('step-run-details')).toContainText('rows')
    expect(await page.getByTestId('run-panel').getAttribute('data-status')).toBe('RUNNING')

    writeFileSync(gate, '')
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 20_000 })
    await expect(row('결과').getByTestId('run-variable-set-by')).toHaveText('2. Write')

    // The kept variables file stays ASCII-safe on disk and is shown decoded in the app.
    await runStep(page, 'Write').click()
    const files = page.getByTestId('debug-files')
    const variablesPath = (await files.getByTestId('debug-variables-path').textContent())!
    expect(variablesPath).toMatch(/step_2_Write\.json$/)
    expect(readFileSync(variablesPath, 'utf8')).toContain('\\uc6d4\\uac04')
    await expect(files.getByTestId('debug-command')).toHaveValue(new RegExp(`^cd '${workDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' && `))
    await files.getByTestId('open-variables').click()
    const viewer = page.getByTestId('kept-file-viewer')
    await expect(viewer.locator('.cm-content')).toContainText('"제목": "월간 보고서"')
    await shot(page, `finish-variables-decoded-${size}`)
    await viewer.getByTestId('viewer-close').click()

    // The files the run wrote: a document opens with the OS, a script in the viewer; the folder opens too.
    await page.getByTestId('show-outputs').click()
    const outputs = page.getByTestId('run-outputs')
    await expect(outputs.getByTestId('output-file')).toHaveCount(2)
    const xlsx = outputs.locator('[data-testid="output-file"][data-opener="os"]')
    await expect(xlsx).toContainText('결과.xlsx')
    await expect(outputs.locator('[data-testid="output-file"][data-opener="viewer"]')).toContainText('tidy.py')
    for (const el of [outputs.getByTestId('open-working-folder'), xlsx.getByTestId('output-file-open')]) {
      await el.scrollIntoViewIfNeeded()
      const box = (await el.boundingBox())!
      const viewport = page.viewportSize()!
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
    }
    await shot(page, `finish-outputs-${size}`)
    expect(await axeProblems(page)).toEqual([])
    await xlsx.getByTestId('output-file-open').click()
    await outputs.getByTestId('open-working-folder').click()
    await expect
      .poll(async () => (await shellCalls(request)).map((c) => c.path))
      .toEqual(expect.arrayContaining([join(workDir, '결과.xlsx'), workDir]))
    expect((await shellCalls(request)).some((c) => c.path.endsWith('tidy.py'))).toBe(false)
    await outputs.locator('[data-testid="output-file"][data-opener="viewer"]').getByTestId('output-file-open').click()
    await expect(viewer.locator('.cm-content')).toContainText('print("tidy")')
    expect(existsSync(join(workDir, 'tidy.py'))).toBe(true)
    expect(pageErrors(page)).toEqual([])
  })

  test('a graph of 30 steps opens readable: the first steps at a legible size, the legend clear of them', async ({ page, request }) => {
    const { dataDir } = await resetBridge(request)
    const file = join(dataDir, 'long.stepwise.json')
    const steps = Array.from({ length: 30 }, (_, i) => ({
      order: i,
      name: `단계 ${i + 1}`,
      step_type: 'PYTHON_SCRIPT',
      code: script(`print(json.dumps({"v${i + 1}": ${i + 1}}))`),
      output_mapping: { [`v${i + 1}`]: `v${i + 1}` },
      ...(i > 0 && { input_mapping: { [`v${i}`]: `v${i}` } })
    }))
    writeFileSync(file, JSON.stringify({ name: 'Thirty', description: '', steps }))
    await openApp(page)
    await queueDialogs(request, [file])
    await page.getByTestId('import-workflow').click()
    await expect(page.getByTestId('step-item')).toHaveCount(30)
    await page.getByTestId('tab-graph').click()
    const graph = page.getByTestId('graph-view')
    await expect(graph).toHaveAttribute('data-wide', 'true')
    const first = graph.locator('[data-testid="graph-node"][data-name="단계 1"]')
    await expect(first).toBeVisible()
    // Legible: the node is drawn at three quarters of its size or more (fitting 30 columns whole draws it at a tenth).
    await expect.poll(async () => (await first.boundingBox())?.width ?? 0).toBeGreaterThan(120)
    const legend = (await graph.locator('.graph-legend').boundingBox())!
    const node = (await first.boundingBox())!
    expect(node.y >= legend.y + legend.height || node.x >= legend.x + legend.width).toBe(true)
    await shot(page, `finish-graph-30-${size}`)
    // No node in view lies under the legend, not only the first.
    for (const n of await graph.locator('[data-testid="graph-node"]').all()) {
      const b = await n.boundingBox()
      const under =
        !!b && b.x < legend.x + legend.width && b.x + b.width > legend.x && b.y < legend.y + legend.height && b.y + b.height > legend.y
      expect(under, `${await n.getAttribute('data-name')} under the legend`).toBe(false)
    }
    // Double-click opens the step (it zoomed before).
    await graph.locator('[data-testid="graph-node"][data-name="단계 2"]').dblclick()
    await expect(page.getByTestId('step-name')).toHaveValue('단계 2')
    expect(pageErrors(page)).toEqual([])
  })
})
