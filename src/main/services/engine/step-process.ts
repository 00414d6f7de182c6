// Runs one PYTHON_SCRIPT step the reference's way: `<python> <script.py> --variables-file <vars.json>`.
// This is the only module that spawns a step's Python; everything else goes through runPythonStep.
import { StringDecoder } from 'node:string_decoder'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { JsonValue, Variables } from '../../../shared/model'
import { parseOutput, stderrTail, toAsciiJson } from './output'
import { startStepProcess, type SparePool } from '../python/spare-pool'
import { killProcessTree } from './process-tree'

export interface StepRunRequest {
  python: string
  code: string
  variables: Variables
  workingDirectory: string
  /** The execution's private temp folder; the step's files are written into it. */
  tempDir: string
  /** File name stem for the step's .py and .json, e.g. "step_0_Fetch_Data". */
  fileStem: string
  timeoutMs: number
  /** Keep the script and variables files after the step. */
  debug: boolean
  signal?: AbortSignal
  /** Called with each complete stderr line while the script runs. */
  onLog?: (line: string) => void
  /** Called with the script's pid once it runs, so an owner that must exit at once can end it. */
  onSpawn?: (pid: number) => void
  /** Where the step's interpreter may already be waiting; null or absent: it starts cold. */
  spares?: SparePool | null
}

export type StepOutcome = 'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'

export interface StepRunResult {
  status: StepOutcome
  exitCode: number | null
  output: JsonValue | null
  stdout: string
  /** Everything written to stderr. */
  stderr: string
  error: string | null
  startedAt: string
  finishedAt: string
  durationMs: number
  /** Set only when the files were kept (debug mode). */
  scriptPath: string | null
  variablesPath: string | null
}

/** How long the pipes may stay open after the script itself exited (a background child holding them). */
const PIPE_DRAIN_AFTER_EXIT_MS = 1000

export async function runPythonStep(req: StepRunRequest): Promise<StepRunResult> {
  const scriptPath = join(req.tempDir, `${req.fileStem}.py`)
  const variablesPath = join(req.tempDir, `${req.fileStem}.json`)
  await mkdir(req.tempDir, { recursive: true })
  await writeFile(scriptPath, req.code, 'utf8')
  await writeFile(variablesPath, toAsciiJson(req.variables), 'utf8')

  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  let outcome: Omit<StepRunResult, 'startedAt' | 'finishedAt' | 'durationMs' | 'scriptPath' | 'variablesPath'>
  try {
    outcome = await spawnAndCollect(req, scriptPath, variablesPath)
  } finally {
    if (!req.debug) {
      await Promise.all([rm(scriptPath, { force: true }), rm(variablesPath, { force: true })])
    }
  }
  const finished = Date.now()
  return {
    ...outcome,
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    scriptPath: req.debug ? scriptPath : null,
    variablesPath: req.debug ? variablesPath : null
  }
}

async function spawnAndCollect(req: StepRunRequest, scriptPath: string, variablesPath: string) {
  if (req.signal?.aborted) {
    return { status: 'CANCELLED' as const, exitCode: null, output: null, stdout: '', stderr: '', error: 'Cancelled before it started' }
  }
  // Spawned (cold, or ahead as a spare) by the one function that spawns a step's Python: its own process
  // group on POSIX, no window on Windows.
  const { child } = await startStepProcess(
    {
      python: req.python,
      cwd: req.workingDirectory,
      env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUNBUFFERED: '1' },
      script: scriptPath,
      args: ['--variables-file', variablesPath]
    },
    req.spares
  )

  if (child.pid !== undefined) req.onSpawn?.(child.pid)
  const stdoutDecoder = new StringDecoder('utf8')
  const stderrDecoder = new StringDecoder('utf8')
  const stdoutChunks: string[] = []
  const stderrChunks: string[] = []
  let pendingLine = ''
  const emitLines = (text: string, final: boolean): void => {
    const parts = (pendingLine + text).split('\n')
    pendingLine = final ? '' : (parts.pop() ?? '')
    if (final && parts.length && parts[parts.length - 1] === '') parts.pop()
    for (const line of parts) req.onLog?.(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
  child.stdout?.on('data', (chunk: Buffer) => stdoutChunks.push(stdoutDecoder.write(chunk)))
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = stderrDecoder.write(chunk)
    stderrChunks.push(text)
    emitLines(text, false)
  })

  let stopReason: 'TIMED_OUT' | 'CANCELLED' | null = null
  const stop = (reason: 'TIMED_OUT' | 'CANCELLED'): void => {
    if (stopReason || child.pid === undefined) return
    stopReason = reason
    void killProcessTree(child.pid)
  }
  const timer = setTimeout(() => stop('TIMED_OUT'), req.timeoutMs)
  const onAbort = (): void => stop('CANCELLED')
  req.signal?.addEventListener('abort', onAbort, { once: true })
  // Stop may have come while a spare was being handed the script.
  if (req.signal?.aborted) onAbort()

  // A background process the script left behind may hold the pipes open; once the script itself has
  // exited, give the pipes a moment to drain and then stop waiting for them.
  let drainTimer: NodeJS.Timeout | undefined
  child.once('exit', () => {
    drainTimer = setTimeout(() => {
      child.stdout?.destroy()
      child.stderr?.destroy()
    }, PIPE_DRAIN_AFTER_EXIT_MS)
  })

  const result = await child
  clearTimeout(timer)
  clearTimeout(drainTimer)
  req.signal?.removeEventListener('abort', onAbort)
  stdoutChunks.push(stdoutDecoder.end())
  const stderrRest = stderrDecoder.end()
  stderrChunks.push(stderrRest)
  emitLines(stderrRest, true)

  const stdout = stdoutChunks.join('')
  const stderr = stderrChunks.join('')
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null
  const tail = stderrTail(stderr)

  if (stopReason === 'TIMED_OUT') {
    const seconds = Math.round(req.timeoutMs / 100) / 10
    return {
      status: 'TIMED_OUT' as const,
      exitCode,
      output: null,
      stdout,
      stderr,
      error: `Timed out after ${seconds} s; the script and every process it started were stopped.`
    }
  }
  if (stopReason === 'CANCELLED') {
    return { status: 'CANCELLED' as const, exitCode, output: null, stdout, stderr, error: 'Stopped by the user.' }
  }
  if (exitCode === null) {
    // The process never ran (no such interpreter, no permission, no such working folder).
    const code = (result as { code?: string }).code
    const why =
      code === 'ENOENT'
        ? 'the file or the working folder does not exist'
        : (result.originalMessage ?? result.shortMessage ?? 'unknown error')
    return {
      status: 'FAILED' as const,
      exitCode: null,
      output: null,
      stdout,
      stderr,
      error: `Could not start Python "${req.python}" in "${req.workingDirectory}": ${why}`
    }
  }
  const output = parseOutput(stdout)
  if (exitCode !== 0) {
    return {
      status: 'FAILED' as const,
      exitCode,
      output: stdout.trim() ? output : null,
      stdout,
      stderr,
      error: `Script failed with exit code ${exitCode}${tail ? `:\n${tail}` : ' and wrote nothing to stderr.'}`
    }
  }
  return { status: 'SUCCESS' as const, exitCode, output, stdout, stderr, error: null }
}
