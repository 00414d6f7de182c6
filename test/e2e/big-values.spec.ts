// Issue 9 in the window: a step output over 1 MB (here 6 MB of UTF-8) is kept in a file beside the database, shown as a note
// of its size in the window's language, and "Save as…" writes it whole, exactly as the step wrote it.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { openApp, pageErrors, queueDialogs, resetBridge, runStep, script, shot } from './helpers'

for (const [lang, locale, note, saved] of [
  ['en', 'en-US', /^6\.0 MB value, kept whole in the run’s record/, 'Saved the output to'],
  ['ko', 'ko-KR', /^6\.0 MB 크기의 값이라 실행 기록에 통째로 보관했습니다/, '출력을']
] as const) {
  test(`a 6 MB output: a note of its size, and Save as… writes it whole (${lang})`, async ({ page, request }) => {
    const { dataDir } = await resetBridge(request, locale)
    const file = join(dataDir, 'big.stepwise.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Big table',
        description: '',
        steps: [
          {
            order: 0,
            name: 'Make',
            step_type: 'PYTHON_SCRIPT',
            code: script('print(json.dumps({"n": 43.0, "blob": "서울" * 1000000}, ensure_ascii=False))'),
            output_mapping: { blob: 'blob', n: 'n' }
          },
          {
            order: 1,
            name: 'Measure',
            step_type: 'PYTHON_SCRIPT',
            code: script('print(json.dumps({"length": len(variables["blob"]), "n": repr(variables["n"])}))')
          }
        ]
      })
    )
    await openApp(page)
    await queueDialogs(request, [file])
    await page.getByTestId('import-workflow').click()
    await page.getByTestId('run-workflow').click()
    await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })

    // The next step got the value whole, 43.0 still a float.
    await runStep(page, 'Measure').click()
    await expect(page.getByTestId('step-output')).toContainText('2000000')
    await expect(page.getByTestId('step-output')).toContainText('"43.0"')

    await runStep(page, 'Make').click()
    const big = page.getByTestId('step-output').getByTestId('big-value').first()
    await expect(big).toContainText(note)
    // Its first characters show what it is.
    await expect(big.getByTestId('big-value-head')).toHaveText(/^\{"n": 43\.0, "blob": "서울서울.*…$/)
    await shot(page, `big-value-${lang}`)
    const target = join(dataDir, 'saved output.json')
    await queueDialogs(request, [target])
    await page.getByTestId('save-output').click()
    await expect(page.getByTestId('toast-success').last()).toContainText(saved)
    await expect.poll(() => readFileSync(target, 'utf8').length, { timeout: 10_000 }).toBeGreaterThan(2_000_000)
    const text = readFileSync(target, 'utf8')
    expect(text.startsWith('{"n": 43.0, "blob": "서울서울')).toBe(true)
    expect((JSON.parse(text) as { blob: string }).blob).toBe('서울'.repeat(1_000_000))
    expect(pageErrors(page)).toEqual([])
  })
}
