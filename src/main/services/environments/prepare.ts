// A workflow's packages, installed once into a virtual environment that every later run (and every other
// workflow with the same interpreter and packages) reuses. Made with uv when it is on the machine, else with
// `python -m venv` and pip. Built where it stays (a venv's scripts name their folder, so it cannot be moved)
// and marked ready by a file written last, so a crash or a failed install never leaves an environment that
// looks ready; a lock keeps two runs from building the same one at once.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage, type ErrorMessage } from '../../../shared/error-messages'
import type { PythonInterpreter } from '../../../shared/model'
import { normalizeRequirements } from '../../../shared/requirements'
import { runStreaming, type CommandResult } from '../command-runner'
import { indexReachable, type Reachability } from './index-reachability'
import { installArgs, pipNetworkArgs, uvNetworkEnv, type PackageSources } from './package-sources'
import { explainPipFailure, type PipProblem } from './pip-errors'

const READY_FILE = 'stepwise-environment.json'
const LOCK_STALE_MS = 30 * 60_000

export class EnvironmentError extends Error {
  constructor(
    message: string,
    readonly problem: PipProblem['kind'],
    /** The whole output of the failed install, kept beside the environments. */
    readonly logPath: string | null,
    /** The window's form of the sentence; the message stays English for the CLI. */
    readonly explanation?: ErrorMessage
  ) {
    super(logPath ? `${message}\nThe full output of the installer: ${logPath}` : message)
    this.name = 'EnvironmentError'
  }
}

export interface PreparedEnvironment {
  python: string
  folder: string
  /** False when it was already there (the usual case: nothing to do). */
  created: boolean
}

export interface PrepareOptions {
  base: PythonInterpreter
  requirements: string[]
  sources: PackageSources
  onLine?: (line: string) => void
  /** uv's path when it is on the machine; null: venv + pip. */
  uv?: string | null
  reach?: Reachability
}

/** The folder name of an environment: the interpreter (its path and version) and the packages, hashed. */
export function environmentKey(base: PythonInterpreter, requirements: string[]): string {
  const text = JSON.stringify([base.path, base.version, normalizeRequirements(requirements)])
  return `py${base.version.split('.').slice(0, 2).join('')}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`
}

export function venvPython(folder: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(folder, 'Scripts', 'python.exe') : join(folder, 'bin', 'python')
}

export class EnvironmentManager {
  constructor(readonly root: string) {}

  folderOf(base: PythonInterpreter, requirements: string[]): string {
    return join(this.root, environmentKey(base, requirements))
  }

  /** The environment's Python, ready: at once when it exists, else after installing the packages. */
  async prepare(o: PrepareOptions): Promise<PreparedEnvironment> {
    const folder = this.folderOf(o.base, o.requirements)
    if (await isReady(folder)) return { python: venvPython(folder), folder, created: false }
    await mkdir(this.root, { recursive: true })
    const unlock = await lock(`${folder}.lock`, o.onLine)
    try {
      // Another run may have finished it while this one waited for the lock.
      if (await isReady(folder)) return { python: venvPython(folder), folder, created: false }
      await this.build(folder, o)
      return { python: venvPython(folder), folder, created: true }
    } finally {
      await unlock()
    }
  }

  private async build(folder: string, o: PrepareOptions): Promise<void> {
    const work = folder
    await rm(work, { recursive: true, force: true })
    const say = (line: string): void => o.onLine?.(line)
    const reachable = o.sources.package_offline ? false : await indexReachable(o.sources, o.reach)
    const plan = installArgs(o.sources, reachable)
    if (!reachable && !o.sources.package_offline) {
      if (!o.sources.package_find_links)
        throw new EnvironmentError(
          'The package index cannot be reached (offline, or a proxy is needed) and no wheel folder is set. In Settings → Packages, set a folder of wheels (.whl files) or a proxy.',
          'no-network',
          null,
          errorMessage('packagesOfflineNoWheels', {})
        )
      say(`The package index cannot be reached; installing from the wheel folder ${o.sources.package_find_links}.`)
    }
    const requirements = o.requirements.map((r) => r.trim()).filter(Boolean)
    say(`Preparing a Python ${o.base.version} environment with ${requirements.join(', ')}…`)
    const log: string[] = []
    const step = async (command: string, args: string[], env?: Record<string, string>): Promise<CommandResult> => {
      log.push(`$ ${[command, ...args].join(' ')}`)
      // Plain text: a FORCE_COLOR inherited from a CI or a test runner would put colour codes into the
      // lines the window shows and into the output explainPipFailure reads package names from.
      const { FORCE_COLOR: _force, CLICOLOR_FORCE: _clicolor, ...inherited } = process.env
      const r = await runStreaming(command, args, {
        env: { ...inherited, ...env, PIP_NO_INPUT: '1', PIP_NO_COLOR: '1', NO_COLOR: '1' },
        onLine: say,
        timeoutMs: 30 * 60_000
      })
      log.push(r.stdout)
      return r
    }
    const python = venvPython(work)
    const created = o.uv
      ? await step(o.uv, ['venv', '--python', o.base.path, '--seed', work], uvNetworkEnv(o.sources))
      : await step(o.base.path, ['-m', 'venv', work])
    if (created.exitCode !== 0)
      await this.fail(
        folder,
        log,
        `Creating the virtual environment with ${o.base.path} failed.`,
        'other',
        errorMessage('venvCreateFailed', { python: o.base.path })
      )
    const installed = o.uv
      ? await step(o.uv, ['pip', 'install', '--python', python, ...plan.args, ...requirements], uvNetworkEnv(o.sources))
      : await step(python, ['-m', 'pip', 'install', ...pipNetworkArgs(o.sources), ...plan.args, ...requirements])
    if (installed.exitCode !== 0) {
      const problem = explainPipFailure(installed.stdout, plan.sources, `Python ${o.base.version}`, plan.locations)
      await this.fail(folder, log, problem.message, problem.kind, problem.explanation)
    }
    await writeFile(
      join(work, READY_FILE),
      JSON.stringify({ python: o.base.path, version: o.base.version, requirements, created_at: new Date().toISOString() }, null, 2)
    )
    say('The environment is ready.')
  }

  private async fail(folder: string, log: string[], message: string, kind: PipProblem['kind'], explanation: ErrorMessage): Promise<never> {
    const logPath = `${folder}.log`
    await writeFile(logPath, log.join('\n'), 'utf8').catch(() => undefined)
    await rm(folder, { recursive: true, force: true }).catch(() => undefined)
    throw new EnvironmentError(message, kind, existsSync(logPath) ? logPath : null, explanation)
  }
}

async function isReady(folder: string): Promise<boolean> {
  return existsSync(join(folder, READY_FILE)) && existsSync(venvPython(folder))
}

/** A lock folder; one left by a crashed build (older than half an hour, or of a dead process) is taken over. */
async function lock(path: string, say?: (line: string) => void): Promise<() => Promise<void>> {
  let told = false
  for (;;) {
    try {
      await mkdir(path)
      await writeFile(join(path, 'pid'), String(process.pid))
      return () => rm(path, { recursive: true, force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => '0'))
      const age = Date.now() - ((await stat(path).catch(() => null))?.mtimeMs ?? 0)
      if (age > LOCK_STALE_MS || (owner > 0 && !alive(owner))) {
        await rm(path, { recursive: true, force: true })
        continue
      }
      if (!told) say?.('Another run is preparing this environment; waiting for it…')
      told = true
      await new Promise((r) => setTimeout(r, 500))
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
