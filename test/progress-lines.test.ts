// A stderr line redrawn with `\r` alone (tqdm, pip, curl) is one updating line: live, it travels as its
// latest text; recorded, it is its final text between the lines around it, never every redraw glued into
// one giant line.
import { afterAll, describe, expect, it } from 'vitest'
import { LineSplitter } from '../src/main/services/engine/line-splitter'
import { LogCapture } from '../src/main/services/engine/log-capture'
import { LogRecorder } from '../src/main/services/engine/log-recorder'
import { ProgressLineCollapser } from '../src/main/services/engine/progress-lines'
import { splitLog } from '../src/renderer/src/lib/log-lines'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

/** What a terminal ends up showing, line by line: each line at the text after its last lone `\r`. */
function finalText(text: string): string {
  return text.replace(/([^\n]*)(\n|$)/g, (_all, body: string, nl: string) => {
    const crlf = nl === '\n' && body.endsWith('\r')
    let b = crlf ? body.slice(0, -1) : body
    if (!nl && b.endsWith('\r')) b = b.slice(0, -1)
    return b.slice(b.lastIndexOf('\r') + 1) + (crlf ? '\r' : '') + nl
  })
}

/** Deterministic chunkings, so that `\r`, `\r\n` and lines fall on every kind of chunk boundary. */
function chunked(text: string, seed: number): string[] {
  const chunks: string[] = []
  let x = seed
  for (let i = 0; i < text.length;) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    const size = 1 + (x % 7)
    chunks.push(text.slice(i, i + size))
    i += size
  }
  return chunks
}

const TQDM_LIKE =
  'Downloading\r\n' + Array.from({ length: 50 }, (_, i) => `\r${i * 2}%|${'#'.repeat(i)}`).join('') + '\r100%|done\nsaved\r\nbye'

describe('the live line splitter', () => {
  it('reports a progress line as its latest text per write and ends it with its final text as one line, whatever the chunking', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const lines: string[] = []
      const progress: (string | null)[] = []
      const splitter = new LineSplitter(
        (l) => lines.push(l),
        1000,
        (p) => progress.push(p)
      )
      for (const c of chunked(TQDM_LIKE, seed)) splitter.write(c)
      splitter.end()
      expect(lines).toEqual(['Downloading', '100%|done', 'saved', 'bye'])
      // Every report is one state of the bar, never two glued; the last one closes it.
      expect(progress.at(-1)).toBeNull()
      expect(progress.filter((p) => p !== null && !/^(\d{1,3}%?(\|#*(d(o(n(e)?)?)?)?)?)?$/.test(p))).toEqual([])
      expect(progress.filter((p) => p === null)).toHaveLength(1)
    }
  })

  it('one report per write however many redraws it holds, and a bar never ended by a newline still ends as a line', () => {
    const lines: string[] = []
    const progress: (string | null)[] = []
    const splitter = new LineSplitter(
      (l) => lines.push(l),
      undefined,
      (p) => progress.push(p)
    )
    splitter.write('start\n' + Array.from({ length: 1000 }, (_, i) => `\r${i}/999`).join(''))
    splitter.write('\r')
    splitter.end()
    expect(progress).toEqual(['999/999', null])
    expect(lines).toEqual(['start', '999/999'])
  })
})

describe('the stored log', () => {
  it('keeps each progress line at its final text, with the lines around it, whatever the chunking', () => {
    const cases = [
      TQDM_LIKE,
      'a\rb\rc',
      'x\r',
      '\r\r\n',
      'one\r\ntwo\r\n',
      'abc\r\r\ndef',
      '\rstart 0%\rstart 50%\rstart 100%\nnext\n',
      'plain lines\nonly\n'
    ]
    for (const text of cases) {
      for (let seed = 1; seed <= 20; seed++) {
        const out: string[] = []
        const c = new ProgressLineCollapser((t) => out.push(t))
        for (const chunk of chunked(text, seed)) c.write(chunk)
        c.end()
        expect(out.join(''), JSON.stringify({ text, seed })).toBe(finalText(text))
      }
    }
  })

  it('the log a step records: Downloading, the bar at 100%, the lines after it', async () => {
    const capture = new LogCapture(null)
    for (const c of chunked(TQDM_LIKE, 7)) capture.write(c)
    await capture.close()
    expect(capture.text(null)).toBe('Downloading\r\n100%|done\nsaved\r\nbye')
  })

  it('a bar redrawn for a long time without a newline holds only its current text', () => {
    const out: string[] = []
    const c = new ProgressLineCollapser((t) => out.push(t))
    for (let i = 0; i < 200_000; i++) c.write(`\r${i} items`)
    c.end()
    expect(out).toEqual(['199999 items'])
  })

  it('a line longer than any progress bar streams through instead of being held', () => {
    const out: string[] = []
    const c = new ProgressLineCollapser((t) => out.push(t))
    const piece = 'y'.repeat(10_000)
    for (let i = 0; i < 100; i++) c.write(piece)
    const passedBeforeEnd = out.join('').length
    c.write('\n')
    c.end()
    expect(passedBeforeEnd).toBeGreaterThan(900_000)
    expect(out.join('')).toBe(`${'y'.repeat(1_000_000)}\n`)
  })
})

describe('the live log recorder', () => {
  it('sends a progress line as its latest text once a batch, and saves only its final text', async () => {
    const { store } = openRealServices(makeTempDir('stepwise-progress-'))
    try {
      const saved = store.saveWorkflow(workflow('Bar', [step(0, 'Bar', py(emit('{}')))]))
      const executionId = store.createExecution({
        workflow: saved,
        steps: saved.steps,
        initialVariables: new Map(),
        debug: false,
        workingDirectory: '/tmp',
        pythonPath: '/usr/bin/python3'
      })
      const sent: { lines: string[]; progress: string | null }[] = []
      const recorder = new LogRecorder(store, executionId, (_s, lines, progress) => sent.push({ lines: [...lines], progress }))
      const stepId = saved.steps[0].id
      recorder.log(stepId, 'before')
      for (let i = 0; i <= 100; i++) recorder.progress(stepId, `${i}%`)
      recorder.flush()
      recorder.flush()
      recorder.progress(stepId, null)
      recorder.log(stepId, '100%')
      recorder.log(stepId, 'after')
      recorder.close()
      expect(sent).toEqual([
        { lines: ['before'], progress: '100%' },
        { lines: ['100%', 'after'], progress: null }
      ])
      expect(store.getExecution(executionId).steps[0].logs).toBe('before\n100%\nafter\n')
    } finally {
      store.close()
    }
  })
})

describe('a real Python step drawing a progress bar on stderr', () => {
  it('is one updating line live and one line in the record', async () => {
    const services = openRealServices(makeTempDir('stepwise-progress-run-'))
    try {
      const live: { lines: string[]; progress?: string }[] = []
      services.runner.on((e) => e.channel === 'run:log' && live.push({ lines: e.payload.lines, progress: e.payload.progress }))
      const code = py(
        'print("starting", file=sys.stderr, flush=True)',
        'for i in range(100):',
        '    print(f"\\r{i}%", end="", file=sys.stderr, flush=True)',
        '    time.sleep(0.01)',
        'print("", file=sys.stderr, flush=True)',
        'print("finished", file=sys.stderr, flush=True)',
        emit('{"ok": True}')
      )
      const e = await saveAndRun(services, workflow('Progress', [step(0, 'Bar', code)]))
      expect(e.status).toBe('SUCCESS')
      expect(e.steps[0].logs).toBe('starting\n99%\nfinished\n')
      const lines = live.flatMap((b) => b.lines)
      expect(lines).toEqual(['starting', '99%', 'finished'])
      // Seen updating while it ran: several states, each a single percentage.
      const states = live.map((b) => b.progress).filter((p): p is string => p !== undefined)
      expect(states.length).toBeGreaterThan(3)
      for (const s of states) expect(s).toMatch(/^\d{1,2}%$/)
      expect(live.at(-1)!.progress).toBeUndefined()
    } finally {
      services.store.close()
    }
  })
})

describe('a log recorded before progress lines were collapsed', () => {
  it('shows each glued progress line at its final text in the history', () => {
    expect(splitLog('start\r\n\r0%\r1%\r2%\nend\r\n', 10)).toEqual({ lines: ['start', '2%', 'end'], dropped: 0 })
    expect(splitLog('a\nb\r\rc\n', 1)).toEqual({ lines: ['c'], dropped: 1 })
  })
})
