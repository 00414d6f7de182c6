// One debug session: the step's Python started through the engine's one spawn point (runPythonStep) with
// the debug bootstrap, the channel to it, and the events the window gets. Stop ends the whole process tree
// the way a run's Stop does (killProcessTree), even when the script hangs in C code.
import { rm } from 'node:fs/promises'
import { errorMessage } from '../../../shared/error-messages'
import { previewValue, type TextMap } from '../../../shared/json-text'
import type {
  Breakpoint,
  BreakpointResult,
  DebugCommand,
  DebugEvaluation,
  DebugEvent,
  DebugFrame,
  DebugVariable
} from '../../../shared/debugger'
import { runPythonStep, type StepRunResult } from '../engine'
import type { StepEnvPlan } from '../engine/run-options'
import type { Redactor } from '../secrets'
import { DebugChannel, DebugRequestError } from './channel'
import { responseBodies, type BootstrapEvent } from './protocol'

/** A paused step waits for the person: no timeout but a day. */
const DEBUG_TIMEOUT_MS = 24 * 60 * 60 * 1000
const ATTACH_TIMEOUT_MS = 30_000
const OUTPUT_BATCH_MS = 50

export interface DebugSessionOptions {
  id: string
  python: string
  code: string
  variables: TextMap
  workingDirectory: string
  /** The workflow's environment variables and secrets, as a run gives them. */
  env: StepEnvPlan
  /** Secret values become *** in everything the window gets: output, values, evaluations. */
  redactor: Redactor | null
  /** A folder of this session alone; removed when it ends. */
  tempDir: string
  fileStem: string
  breakpoints: Breakpoint[]
  emit: (event: DebugEvent) => void
  log: (line: string) => void
}

export class DebugSession {
  readonly id: string
  private readonly channel: DebugChannel
  private readonly abort = new AbortController()
  private paused = false
  private outputLines: string[] = []
  private outputTimer: NodeJS.Timeout | null = null
  /** Settles once the step's process tree has ended and the session's files are gone. */
  ended: Promise<void> = Promise.resolve()

  constructor(private readonly options: DebugSessionOptions) {
    this.id = options.id
    this.channel = new DebugChannel({
      onEvent: (event) => void this.onEvent(event),
      onRejected: (why) => {
        options.log(`[debugger ${this.id}] ${why}`)
        this.output(`[stepwise] ${why}`)
      }
    })
  }

  /** Starts the step under the debugger; resolves once it runs with the breakpoints set. */
  async start(): Promise<BreakpointResult[]> {
    const o = this.options
    const port = await this.channel.listen()
    const done = runPythonStep({
      python: o.python,
      code: o.code,
      variables: o.variables,
      workingDirectory: o.workingDirectory,
      tempDir: o.tempDir,
      fileStem: o.fileStem,
      timeoutMs: DEBUG_TIMEOUT_MS,
      debug: false,
      signal: this.abort.signal,
      env: o.env,
      redactor: o.redactor,
      onLog: (line) => this.output(line),
      debugger: { port, token: this.channel.token }
    })
    this.ended = done.then(
      (result) => this.finish(result),
      (err: unknown) => this.finish(null, err instanceof Error ? err.message : String(err))
    )
    const attachTimer = setTimeout(() => this.abort.abort(), ATTACH_TIMEOUT_MS)
    try {
      await this.channel.whenConnected(done)
    } catch (err) {
      const result = await done.catch(() => null)
      throw new DebugRequestError(result?.error ?? (err as Error).message)
    } finally {
      clearTimeout(attachTimer)
    }
    const set = await this.channel.request('setBreakpoints', { breakpoints: o.breakpoints }, responseBodies.setBreakpoints)
    await this.channel.request('start', {}, responseBodies.empty)
    return set.breakpoints
  }

  private async onEvent(event: BootstrapEvent): Promise<void> {
    if (event.event === 'output') return this.output(`[stepwise] ${event.body.text}`)
    if (event.event === 'continued') {
      this.paused = false
      return this.options.emit({ session_id: this.id, kind: 'continued' })
    }
    this.paused = true
    this.flushOutput()
    let frames: DebugFrame[] = []
    try {
      frames = (await this.channel.request('stack', {}, responseBodies.stack)).frames
    } catch {
      // The step ended meanwhile; the exited event follows.
    }
    const b = event.body
    this.options.emit({
      session_id: this.id,
      kind: 'stopped',
      reason: b.reason,
      line: b.line,
      frame_id: b.frame_id,
      frames,
      exception: b.exception === undefined ? null : this.redact(b.exception)
    })
  }

  async command(command: DebugCommand): Promise<void> {
    if (command !== 'pause' && !this.paused)
      throw new DebugRequestError('The step is running; pause it or wait for a breakpoint first.', errorMessage('debugStepRunning', {}))
    await this.channel.request(command, {}, responseBodies.empty)
  }

  setBreakpoints(breakpoints: Breakpoint[]): Promise<BreakpointResult[]> {
    return this.channel.request('setBreakpoints', { breakpoints }, responseBodies.setBreakpoints).then((r) => r.breakpoints)
  }

  /** A frame's scopes (locals, globals) as variables, or a page of a variable's children. */
  async variables(args: {
    frame_id?: number
    ref?: number
    start?: number
    count?: number
  }): Promise<{ variables: DebugVariable[]; total: number }> {
    if (args.ref === undefined) {
      const { scopes } = await this.channel.request('scopes', { frame_id: args.frame_id ?? 0 }, responseBodies.scopes)
      return {
        variables: scopes.map((s) => ({ name: s.name, value: '', type: 'scope', ref: s.ref, count: s.count })),
        total: scopes.length
      }
    }
    const page = await this.channel.request(
      'variables',
      { ref: args.ref, start: args.start ?? 0, count: args.count ?? 100 },
      responseBodies.variables
    )
    return { variables: page.variables.map((v) => this.redacted(v)), total: page.total }
  }

  private redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text
  }

  private redacted(v: DebugVariable): DebugVariable {
    return { ...v, name: this.redact(v.name), value: this.redact(v.value) }
  }

  async evaluate(frameId: number, expression: string): Promise<DebugEvaluation> {
    const r = await this.channel.request('evaluate', { frame_id: frameId, expression }, responseBodies.evaluate)
    return r.error !== undefined ? { error: this.redact(r.error) } : { result: r.result && this.redacted(r.result) }
  }

  /** Ends the step and everything it started; resolves once they are gone. */
  async stop(): Promise<void> {
    this.abort.abort()
    await this.ended
  }

  private output(line: string): void {
    this.outputLines.push(line)
    this.outputTimer ??= setTimeout(() => this.flushOutput(), OUTPUT_BATCH_MS)
  }

  private flushOutput(): void {
    if (this.outputTimer) clearTimeout(this.outputTimer)
    this.outputTimer = null
    if (!this.outputLines.length) return
    const lines = this.outputLines
    this.outputLines = []
    this.options.emit({ session_id: this.id, kind: 'output', lines })
  }

  private async finish(result: StepRunResult | null, failure?: string): Promise<void> {
    this.paused = false
    this.channel.close()
    this.flushOutput()
    await rm(this.options.tempDir, { recursive: true, force: true }).catch(() => undefined)
    this.options.emit({
      session_id: this.id,
      kind: 'exited',
      status: result?.status ?? 'FAILED',
      exit_code: result?.exitCode ?? null,
      output: result?.output ? previewValue(result.output.text) : null,
      error: result?.error ?? failure ?? null
    })
  }
}
