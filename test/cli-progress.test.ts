// `stepwise run` showing a step's progress bar (a stderr line redrawn with `\r`): rewritten in place on a
// terminal, printed at most about once a second into a pipe or a file, never one giant glued line.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fitWidth, ProgressPrinter } from '../src/main/cli/progress-printer'
import { ensureCliBuilt, runCli } from './helpers/cli'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, py, step } from './helpers/workflows'

afterAll(cleanupTempDirs)

function stream(isTTY: boolean, columns = 80): { out: string[]; write: (t: string) => void; isTTY: boolean; columns: number } {
  const out: string[] = []
  return { out, write: (t: string) => void out.push(t), isTTY, columns }
}

describe('the progress printer', () => {
  it('on a terminal rewrites the bar in place and clears it before the next line', () => {
    const s = stream(true)
    const p = new ProgressPrinter(s)
    p.say('▶ Download\n')
    p.log(['connecting'], '10%')
    p.log([], '55%')
    p.log(['100%', 'saved'], undefined)
    p.say('✔ Download (10 ms)\n')
    expect(s.out.join('')).toBe(
      '▶ Download\n  │ connecting\n\r  │ 10%\x1b[K\r  │ 55%\x1b[K\r\x1b[K  │ 100%\n  │ saved\n✔ Download (10 ms)\n'
    )
  })

  it('on a terminal cuts the bar to the width (Hangul counts two cells) and neutralizes escapes in it', () => {
    const narrow = stream(true, 12)
    new ProgressPrinter(narrow).log([], '다운로드 중 50%')
    expect(narrow.out.join('')).toBe('\r  │ 다운로\x1b[K')
    const wide = stream(true)
    new ProgressPrinter(wide).log([], '50% \x1b[31mred')
    expect(wide.out.join('')).toBe('\r  │ 50% \\x1b[31mred\x1b[K')
    expect(fitWidth('abc', 2)).toBe('ab')
  })

  it('into a pipe prints the bar as a line at most once a second', () => {
    const s = stream(false)
    let now = 0
    const p = new ProgressPrinter(s, () => now)
    for (let i = 0; i < 30; i++, now += 100) p.log([], `${i}%`)
    p.log(['29%', 'done'], undefined)
    expect(s.out.join('')).toBe('  │ 0%\n  │ 10%\n  │ 20%\n  │ 29%\n  │ done\n')
  })
})

describe('stepwise run with a step drawing a progress bar', () => {
  let dir: string
  beforeAll(async () => {
    await ensureCliBuilt()
    dir = makeTempDir('stepwise-cli-progress-')
  }, 120_000)

  it('into a pipe: a few states of the bar, then its final text, each on its own line', async () => {
    const code = py(
      'print("starting", file=sys.stderr, flush=True)',
      'for i in range(100):',
      '    print(f"\\r{i}%", end="", file=sys.stderr, flush=True)',
      '    time.sleep(0.025)',
      'print("", file=sys.stderr, flush=True)',
      emit('{"ok": True}')
    )
    const file = join(dir, 'bar.json')
    writeFileSync(file, JSON.stringify({ name: 'Bar', steps: [step(0, 'Bar', code)] }))
    mkdirSync(join(dir, 'work'), { recursive: true })
    const r = await runCli(['run', file, '--db', join(dir, 'cli.db'), '--python', PYTHON, '--workdir', join(dir, 'work')])
    expect(r.code).toBe(0)
    const logLines = r.stderr.split('\n').filter((l) => l.startsWith('  │ '))
    expect(logLines[0]).toBe('  │ starting')
    expect(logLines.at(-1)).toBe('  │ 99%')
    const states = logLines.slice(1, -1)
    // About 2.5 s of drawing: at most one state a second of the step's run (plus the first), each a single
    // percentage, no \r left in the output.
    const ms = Number(/✔ Bar \((\d+) ms\)/.exec(r.stderr)?.[1])
    expect(states.length).toBeGreaterThanOrEqual(1)
    expect(states.length).toBeLessThanOrEqual(Math.ceil(ms / 1000) + 1)
    for (const l of states) expect(l).toMatch(/^ {2}│ \d{1,2}%$/)
    expect(r.stderr).not.toContain('\r')
    expect(r.stderr).not.toContain('\\x0d')
  }, 60_000)
})
