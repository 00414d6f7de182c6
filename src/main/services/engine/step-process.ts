// Runs one PYTHON_SCRIPT step the reference's way: `<python> <script.py> --variables-file <vars.json>`.
// Everything else goes through runPythonStep; the process itself comes from startStepProcess (a spare
// interpreter started ahead, or a cold start), the one place a step's Python is spawned.
import { randomUUID } from 'node:crypto'
import { StringDecoder } from 'node:string_decoder'
import { rmSync } from 'node:fs'
import { mkdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { textsOf, type TextMap } from '../../../shared/json-text'
import type { Variables } from '../../../shared/model'
import { DescendantWatch, STEP_TOKEN_VARIABLE } from './descendants'
import { LineSplitter } from './line-splitter'
import { LogCapture } from './log-capture'
import { parseJsonOutput, stderrTail, textOutput, writeVariablesFile, type StepOutput } from './output'
import { startStepProcess, type SpareKey, type SparePool } from '../python/spare-pool'
import { killProcessTree } from './process-tree'
import {
  BOOTSTRAP_FILE_NAME,
  DEBUG_BOOTSTRAP_FILE_NAME,
  bootstrapSource,
  debugArguments,
  debugBootstrapSource,
  debugEnvironment,
  stepArguments,
  type DebugAttach
} from './step-command'
import { stepEnvironment } from './step-env'
import { StdoutSink, type CollectedStdout } from '../values/stdout-sink'
import { fileOutput } from '../values/file-output'
import { logLimitChars, outputLimitBytes } from '../values/limits'
import { pythonStrip } from '../../../shared/python-space'
import type { StepEnvPlan } from './run-options'
import type { Redactor } from '../secrets'

export interface StepRunRequest {
  python: string
  code: string
  /** The texts the variables file is written from (plain values are turned into texts first). */
  variables: TextMap | Variables
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
  /** The current text of a stderr line being redrawn with `\r` (a progress bar), null once it ended. */
  onProgress?: (line: string | null) => void
  /** Called with the script's pid once it runs, so an owner that must exit at once can end it. */
  onSpawn?: (pid: number) => void
  /** Injected for tests: the platform whose way of starting and ending the step is used. */
  platform?: NodeJS.Platform
  /** Where the step's interpreter may already be waiting; null or absent: it starts cold. */
  spares?: SparePool | null
  /** Run the script under Stepwise's debugger, which listens there (always a cold start). */
  debugger?: DebugAttach
  /** The workflow's variables (and the clean-environment option); none when absent. */
  env?: StepEnvPlan
  /** Replaces secret values by *** in what the step writes, before anything else sees it. */
  redactor?: Redactor | null
  /** Where an output over 1 MB is kept (the run's folder beside the database); else the temp folder. */
  valuesDir?: string
  /** The output keys the step's output_mapping reads: of a big output only these are kept split out. */
  outputKeys?: string[]
  /** The most a step may write to stdout (default: outputLimitBytes()); past it the step is stopped and fails. */
  maxOutputBytes?: number
}

export type StepOutcome = 'SUCCESS' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED'

export interface StepRunResult {
  status: StepOutcome
  exitCode: number | null
  output: StepOutput | null
  stdout: string
  /** What was written to stderr: all of it up to 1 MB, else its first and last 512 KB around a note. */
  stderr: string
  /** Stepwise's own lines about the step's processes ("[stepwise] ..."), already sent to onLog. */
  notes: string[]
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

type Outcome = Omit<StepRunResult, 'startedAt' | 'finishedAt' | 'durationMs' | 'scriptPath' | 'variablesPath'>

interface StepFiles {
  script: string
  variables: string
  /** The full stderr, written as it comes (debug mode; else beside the database once it is long). */
  log: string
  /** Windows: the job-object bootstrap the script is run through. */
  bootstrap: string
  /** The debug bootstrap, when the step runs under the debugger. */
  debugBootstrap: string
}

/** What a spare for this step is chosen by: its interpreter, working folder and environment (no secrets). */
export function spareKeyFor(req: Pick<StepRunRequest, 'python' | 'workingDirectory' | 'env' | 'platform'>): SpareKey {
  return {
    python: req.python,
    cwd: req.workingDirectory,
    env: stepEnvironment(
      process.env,
      {},
      {
        clean: req.env?.clean,
        workflow: req.env?.literal,
        alsoSet: Object.keys(req.env?.secret ?? {}),
        python: req.python,
        platform: req.platform ?? process.platform
      }
    )
  }
}

export async function runPythonStep(req: StepRunRequest): Promise<StepRunResult> {
  const platform = req.platform ?? process.platform
  const files: StepFiles = {
    script: join(req.tempDir, `${req.fileStem}.py`),
    variables: join(req.tempDir, `${req.fileStem}.json`),
    log: join(req.tempDir, `${req.fileStem}.log`),
    bootstrap: join(req.tempDir, BOOTSTRAP_FILE_NAME),
    debugBootstrap: join(req.tempDir, DEBUG_BOOTSTRAP_FILE_NAME)
  }
  await mkdir(req.tempDir, { recursive: true })
  await writeFile(files.script, req.code, 'utf8')
  await writeVariablesFile(files.variables, req.variables instanceof Map ? req.variables : textsOf(req.variables))
  if (platform === 'win32') await writeFile(files.bootstrap, bootstrapSource, 'utf8')
  if (req.debugger) await writeFile(files.debugBootstrap, debugBootstrapSource, 'utf8')

  const started = Date.now()
  const startedAt = new Date(started).toISOString()
  let outcome: Outcome
  try {
    outcome = await spawnAndCollect(req, platform, files)
  } finally {
    if (!req.debug) await Promise.all([files.script, files.variables, files.log].map(removeIfThere))
  }
  const finished = Date.now()
  return {
    ...outcome,
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    scriptPath: req.debug ? files.script : null,
    variablesPath: req.debug ? files.variables : null
  }
}

async function spawnAndCollect(req: StepRunRequest, platform: NodeJS.Platform, files: StepFiles): Promise<Outcome> {
  if (req.signal?.aborted) {
    return { status: 'CANCELLED', exitCode: null, output: null, stdout: '', stderr: '', notes: [], error: 'Cancelled before it started' }
  }
  const token = randomUUID()
  const [script, ...args] = req.debugger
    ? debugArguments(files.script, files.variables, files.debugBootstrap)
    : stepArguments(platform, files.script, files.variables, files.bootstrap)
  // Spawned, cold or ahead as a spare, by the one function that spawns a step's Python: its own process
  // group and session on POSIX, so a timeout or Stop reaches every process the script started. On Windows
  // `detached` would open a console window; the bootstrap's job object and taskkill /T find the tree there.
  const { child } = await startStepProcess(
    {
      ...spareKeyFor(req),
      // The token names this run of the step, and secrets must not wait in a spare (nor make its key), so
      // neither is part of what a spare is chosen by: the step gets them as it starts.
      stepEnv: { ...req.env?.secret, [STEP_TOKEN_VARIABLE]: token, ...(req.debugger ? debugEnvironment(req.debugger) : {}) },
      script,
      args,
      platform
    },
    // A spare has no debugger attached: a debugged step always starts cold.
    req.debugger ? null : req.spares
  )

  const notes: string[] = []
  const note = (line: string): void => {
    notes.push(line)
    req.onLog?.(line)
  }
  if (child.pid !== undefined) req.onSpawn?.(child.pid)
  const watch = child.pid !== undefined ? new DescendantWatch(child.pid, token, platform) : null
  watch?.start()
  const stderrDecoder = new StringDecoder('utf8')
  const maxOutput = req.maxOutputBytes ?? outputLimitBytes()
  const sink = new StdoutSink(
    join(req.valuesDir ?? req.tempDir, `${req.fileStem}.${token.slice(0, 8)}.json`),
    req.redactor ?? null,
    maxOutput,
    () => stop('TOO_MUCH_OUTPUT')
  )
  // The full log has a reader only when the step's files are kept.
  const capture = new LogCapture(
    req.debug ? files.log : null,
    req.valuesDir ? join(req.valuesDir, `${req.fileStem}.${token.slice(0, 8)}.log`) : null,
    logLimitChars()
  )
  const lines = new LineSplitter((line) => req.onLog?.(line), undefined, req.onProgress)
  // Secrets are taken out here, where the step's text enters Stepwise: the live log, the stored log, the
  // kept log file and the error's tail all come from what passes this point.
  const redacting = req.redactor?.stream() ?? null
  const onStderr = (raw: string): void => {
    const text = redacting ? redacting.write(raw) : raw
    capture.write(text)
    lines.write(text)
  }
  let stdoutEnded = false
  let stdoutFailure: string | null = null
  child.stdout?.on('data', (chunk: Buffer) => sink.write(chunk))
  child.stdout?.once('end', () => (stdoutEnded = true))
  child.stdout?.once('error', (err) => (stdoutFailure ??= `its output stream failed (${err.message})`))
  child.stderr?.on('data', (chunk: Buffer) => onStderr(stderrDecoder.write(chunk)))

  let stopReason: 'TIMED_OUT' | 'CANCELLED' | 'TOO_MUCH_OUTPUT' | null = null
  let stopping: Promise<unknown> = Promise.resolve()
  const stop = (reason: 'TIMED_OUT' | 'CANCELLED' | 'TOO_MUCH_OUTPUT'): void => {
    if (stopReason || child.pid === undefined) return
    stopReason = reason
    const pid = child.pid
    stopping = (watch ? watch.poll() : Promise.resolve()).then(() => killProcessTree(pid, { alsoEnd: watch?.alive() }))
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
      if (!stdoutEnded)
        stdoutFailure ??= `a process it started still held its output open ${PIPE_DRAIN_AFTER_EXIT_MS / 1000} s after it exited`
      child.stdout?.destroy()
      child.stderr?.destroy()
    }, PIPE_DRAIN_AFTER_EXIT_MS)
  })

  const result = await child
  clearTimeout(timer)
  clearTimeout(drainTimer)
  req.signal?.removeEventListener('abort', onAbort)
  onStderr(stderrDecoder.end())
  if (redacting) {
    const rest = redacting.end()
    capture.write(rest)
    lines.write(rest)
  }
  lines.end()
  await stopping.catch(() => undefined)
  if (watch && child.pid !== undefined) {
    if (result.alone) watch.stop()
    else await endLeftovers(watch, child.pid, !!stopReason, note)
  }
  await capture.close()

  // Redacted before it is parsed (by the sink): a secret inside a JSON string becomes "***" and the JSON stays valid.
  let collected: CollectedStdout
  try {
    collected = sink.end()
  } catch (err) {
    collected = { kind: 'memory', text: '' }
    stdoutFailure ??= (err as Error).message
    removeQuietly(sink.path)
  }
  const stdout = collected.kind === 'memory' ? collected.text : ''
  const dropOutput = (): void => {
    if (collected.kind === 'file') removeQuietly(collected.path)
  }
  const stderr = capture.text(capture.fullLogPath)
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null
  const tail = stderrTail(capture.tail())
  const ended = { exitCode, stdout, stderr, notes }

  if (stopReason) dropOutput()
  if (stopReason === 'TOO_MUCH_OUTPUT') {
    return {
      ...ended,
      status: 'FAILED',
      output: null,
      error:
        `The script wrote more than ${formatBytes(maxOutput)} to stdout (the most a step's output may be) and was stopped. ` +
        'Write big data to a file and put its path in the output instead.'
    }
  }
  if (stopReason === 'TIMED_OUT') {
    const seconds = Math.round(req.timeoutMs / 100) / 10
    return {
      ...ended,
      status: 'TIMED_OUT',
      output: null,
      error: `Timed out after ${seconds} s; the script and every process it started were stopped.`
    }
  }
  if (stopReason === 'CANCELLED') return { ...ended, status: 'CANCELLED', output: null, error: 'Stopped by the user.' }
  if (exitCode === null && result.signal) {
    // Ended from outside (the out-of-memory killer, a user's kill): its log up to then says the rest.
    dropOutput()
    return {
      ...ended,
      status: 'FAILED',
      output: null,
      error: `The script was ended by the signal ${result.signal}${tail ? `:\n${tail}` : '.'}`
    }
  }
  if (exitCode === null) {
    // The process never ran (no such interpreter, no permission, no such working folder).
    dropOutput()
    const code = (result as { code?: string }).code
    const why =
      code === 'ENOENT'
        ? 'the file or the working folder does not exist'
        : (result.originalMessage ?? result.shortMessage ?? 'unknown error')
    return {
      ...ended,
      status: 'FAILED',
      output: null,
      error: `Could not start Python "${req.python}" in "${req.workingDirectory}": ${why}`
    }
  }
  const made =
    collected.kind === 'memory' ? memoryOutput(stdout) : await fileOutput(collected.path, req.outputKeys && new Set(req.outputKeys))
  const json = made.json
  const output: StepOutput = { text: made.text, entries: made.entries, ...('keys' in made && made.keys && { keys: made.keys }) }
  if (exitCode !== 0) {
    return {
      ...ended,
      status: 'FAILED',
      output: made.empty ? null : output,
      error: `Script failed with exit code ${exitCode}${tail ? `:\n${tail}` : ' and wrote nothing to stderr.'}`
    }
  }
  // A complete JSON value is a whole output whatever happened to the pipe after it; anything else may
  // have been cut anywhere, and a partial output must not pass for the step's result.
  if (stdoutFailure && !json) {
    return {
      ...ended,
      status: 'FAILED',
      output: null,
      error:
        `The script exited with code 0 but its output was cut off: ${stdoutFailure}. ` +
        'Wait for the processes it starts to finish, or start them with stdout=subprocess.DEVNULL.'
    }
  }
  return { ...ended, status: 'SUCCESS', output, error: null }
}

/** A step's own file, once it ran (unlink: rm would look at each first, and these are three a step). */
async function removeIfThere(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/** A file the run no longer needs; one a scanner holds (Windows) goes with the run's folder instead. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true })
  } catch {
    // Held open: left for the run's folder to take.
  }
}

function memoryOutput(stdout: string): StepOutput & { json: boolean; empty: boolean } {
  const json = parseJsonOutput(stdout)
  return { ...(json ?? textOutput(stdout)), json: !!json, empty: !pythonStrip(stdout) }
}

const formatBytes = (n: number): string => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${n} bytes`)

/**
 * Ends what the step left running (after its end, Stop or a timeout) and says so in its log; a process
 * that could not be ended is named there, so the user can end it by hand.
 */
async function endLeftovers(watch: DescendantWatch, pid: number, stopped: boolean, note: (line: string) => void): Promise<void> {
  await watch.poll()
  watch.stop()
  const left = watch.alive()
  if (!left.length) return
  await killProcessTree(pid, { alsoEnd: left, graceMs: stopped ? 500 : 1500 })
  await new Promise((r) => setTimeout(r, 100))
  const survivors = watch.alive()
  const ended = left.filter((p) => !survivors.includes(p))
  if (ended.length && !stopped) note(`[stepwise] ended ${ended.length} process(es) the step left running: ${ended.join(', ')}`)
  if (survivors.length)
    note(`[stepwise] could not end ${survivors.length} process(es) the step started: ${survivors.join(', ')}; end them by hand`)
}
