#!/usr/bin/env node
// Figures for what users feel: the overhead Stepwise adds to each step, how fast log lines get through,
// big outputs, and the memory the runner needs. Runs the built CLI (`npm run bench` builds it first) on real
// Python against a temp database, and prints a table; then history on 100,000 executions
// (bench-history.mjs) and the side-by-side table with the seed executor (bench-compare.mjs). Nothing here
// passes or fails.
//   npm run bench               quick: the data-heavy comparison workloads at a tenth of their size
//   npm run bench -- --full     the sizes (50 MB payloads, a 200 MB log line): several minutes
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compareWithSeed, KIT_MISSING } from './bench-compare.mjs'
import { historyFigures } from './bench-history.mjs'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--full' && a !== '--quick')
if (unknown.length) {
  console.error(`bench: unknown option ${unknown.join(' ')}; use --quick (the default) or --full.`)
  process.exit(2)
}
const full = args.includes('--full')
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'))
const rssFile = join(dir, 'rss.txt')
const rssHook = join(dir, 'rss-hook.cjs')
writeFileSync(
  rssHook,
  `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)))\n`
)

const python = JSON.parse(
  spawnSync(process.execPath, [join(root, 'bin/stepwise.js'), 'interpreters', '--json'], { encoding: 'utf8' }).stdout
)[0]?.path
if (!python) {
  console.error('No Python found; see `node bin/stepwise.js interpreters`.')
  process.exit(2)
}

const READ_VARS = `import json, sys\nv = json.load(open(sys.argv[sys.argv.index('--variables-file') + 1], encoding='utf-8'))\n`
const step = (order, code, extra = {}) => ({ order, name: `s${order}`, step_type: 'PYTHON_SCRIPT', code, ...extra })

function runWorkflow(name, steps) {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify({ name, steps }))
  const started = process.hrtime.bigint()
  const r = spawnSync(
    process.execPath,
    [
      '--require',
      rssHook,
      join(root, 'bin/stepwise.js'),
      'run',
      file,
      '--json',
      '--db',
      join(dir, 'bench.db'),
      '--workdir',
      dir,
      '--python',
      python
    ],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024
    }
  )
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}): ${r.stderr.slice(-500)}`)
  const result = JSON.parse(r.stdout.trim() || 'null')
  return { result, wallMs, rssMb: Number(readFileSync(rssFile, 'utf8')) / 1024 }
}

function timeBare(code, times = 1) {
  const script = join(dir, 'bare.py')
  const vars = join(dir, 'bare.json')
  writeFileSync(script, code)
  writeFileSync(vars, '{}')
  const started = process.hrtime.bigint()
  for (let i = 0; i < times; i++) spawnSync(python, [script, '--variables-file', vars], { stdio: 'ignore' })
  return Number(process.hrtime.bigint() - started) / 1e6 / times
}

const rows = []
const row = (what, value, note = '') => rows.push({ what, value, note })

// 1. Per-step overhead: 20 trivial steps against a bare Python start of the same script.
{
  const code = `${READ_VARS}print(json.dumps({"n": len(v)}))\n`
  const n = 20
  const { result, rssMb } = runWorkflow(
    'overhead',
    Array.from({ length: n }, (_, i) => step(i, code))
  )
  const stepMs = result.steps.reduce((s, x) => s + x.duration_ms, 0) / n
  const bareMs = timeBare(code, 10)
  row(
    'step duration, trivial script (mean of 20)',
    `${stepMs.toFixed(1)} ms`,
    `bare python start of the same script: ${bareMs.toFixed(1)} ms`
  )
  row('overhead Stepwise adds per step', `${(stepMs - bareMs).toFixed(1)} ms`, 'temp files, spawn, JSON, SQLite writes')
  row('peak memory of the CLI, 20 steps', `${rssMb.toFixed(0)} MB`, 'resident set, Node included')
}

// 2. Log throughput: 200,000 stderr lines from one step.
{
  const lines = 200_000
  const code = `${READ_VARS}import sys\nfor i in range(${lines}):\n    sys.stderr.write(f"line {i} 처리 중\\n")\nprint(json.dumps({"ok": True}))\n`
  const { result, rssMb } = runWorkflow('logs', [step(0, code)])
  const ms = result.steps[0].duration_ms
  const bareMs = timeBare(code)
  row(
    `log lines through the runner (${lines.toLocaleString('en')})`,
    `${Math.round(lines / (ms / 1000)).toLocaleString('en')} lines/s`,
    `step ${ms} ms; the bare script with stderr discarded: ${bareMs.toFixed(0)} ms`
  )
  row('peak memory, 200k log lines', `${rssMb.toFixed(0)} MB`, `${(result.steps[0].logs.length / 1048576).toFixed(1)} MB of logs kept`)
}

// 3. 8 MB on both pipes at once.
{
  const code = `${READ_VARS}import sys\nchunk = "가" * 1000\nfor i in range(2800):\n    sys.stderr.write(chunk + "\\n")\nprint(json.dumps({"big": "x" * (8 * 1024 * 1024)}))\n`
  const { result, rssMb } = runWorkflow('pipes', [step(0, code)])
  row(
    '8 MB stdout + 8 MB stderr in one step',
    `${result.steps[0].duration_ms} ms`,
    `output ${(result.step_outputs[result.steps[0].id].big.length / 1048576).toFixed(1)} MB intact`
  )
  row('peak memory, 8 MB + 8 MB', `${rssMb.toFixed(0)} MB`, '')
}

// 4. A slow start of the CLI itself, from nothing to the first step.
{
  const code = `${READ_VARS}print("{}")\n`
  const { result, wallMs } = runWorkflow('startup', [step(0, code)])
  row('CLI wall time for a one-step workflow', `${wallMs.toFixed(0)} ms`, `of which the step: ${result.steps[0].duration_ms} ms`)
}

// 5. History and id-prefix lookup on 100,000 executions.
for (const [what, value, note] of await historyFigures(root, dir, 100_000)) row(what, value, note)

// 6. Side by side with the seed executor.
const comparison = compareWithSeed(root, dir, python, { full })

rmSync(dir, { recursive: true, force: true })
const w = Math.max(...rows.map((r) => r.what.length))
const v = Math.max(...rows.map((r) => r.value.length))
console.log(`Stepwise benchmark (${python}, Node ${process.version}, ${process.platform})\n`)
for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value.padStart(v)}  ${r.note}`)
console.log('')
if (!comparison) console.log(KIT_MISSING)
else {
  const sizes = comparison.scale === 1 ? 'full sizes' : 'quick: data-heavy workloads at a tenth of their size; --full for the real ones'
  console.log(`Side by side with the seed executor (${comparison.kit}; ${sizes})\n`)
  const widths = comparison.table[0].map((_, c) => Math.max(...comparison.table.map((r) => r[c].length)))
  for (const r of comparison.table) console.log(`| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`)
  console.log(`\n${comparison.allMet ? 'Every target met.' : 'Not every target is met (see the "met" column).'}`)
}
