// Finding Python: one entry point over the locators of each platform. Every candidate is verified by
// running it, and the same real executable found through several sources is listed once.
import type { PythonInterpreter } from '../../../shared/model'
import type { CommandRunner } from '../command-runner'
import { pathOf, realDiscoveryEnv, type DiscoveryEnv, type DiscoveryFs } from './discovery-env'
import { interpreterInFolder, interpreterLayouts } from './env-folder'
import type { Candidate, Locator } from './locators-common'
import { linuxLocators } from './locators-linux'
import { macosLocators } from './locators-macos'
import { windowsLocators } from './locators-windows'
import { loginShellPathSettled } from './login-shell-path'
import { locateProjectEnv } from './project-env'
import { probeCandidate, PROBE_TIMEOUT_MS, type ProbeResult } from './probe'
import type { ProbeCache } from './probe-cache'

const CHOSEN_PROBE_TIMEOUT_MS = 60_000

export type { Candidate, Locator } from './locators-common'
export type { DiscoveryEnv, DiscoveryFs } from './discovery-env'
export { probeInterpreter, probeCandidate, PROBE_TIMEOUT_MS } from './probe'
export { ProbeCache } from './probe-cache'
export { interpreterInFolder } from './env-folder'
export { projectInterpreter, PROJECT_ENV_SOURCE } from './project-env'
export { adoptLoginShellPath, loginShellPathSettled } from './login-shell-path'
export { interpreterEnvironment } from './conda-activation'

export interface RejectedCandidate extends Candidate {
  reason: string
}

function installAdvice(platform: NodeJS.Platform): string {
  const install =
    platform === 'darwin'
      ? 'Install Python 3 from https://www.python.org/downloads/ (or run "brew install python")'
      : platform === 'win32'
        ? 'Install Python 3 from https://www.python.org/downloads/'
        : 'Install Python 3 with your distribution\'s package manager (e.g. "sudo apt install python3") or from https://www.python.org/downloads/'
  return `${install}, then restart Stepwise, or choose an interpreter or a virtual environment folder in Settings → Python (CLI: --python PATH).`
}

export class NoPythonError extends Error {
  /** Candidates that were found but did not run as Python 3, with why; shown so a broken install can be recognised. */
  readonly rejected: RejectedCandidate[]

  constructor(detail?: string, options: { platform?: NodeJS.Platform; rejected?: RejectedCandidate[] } = {}) {
    const rejected = options.rejected ?? []
    const tried = rejected.length
      ? ` Found but not working: ${rejected
          .slice(0, 3)
          .map((r) => `${r.path} (${r.reason})`)
          .join('; ')}${rejected.length > 3 ? `; and ${rejected.length - 3} more` : ''}.`
      : ''
    super(`${detail ?? 'No working Python 3 was found on this computer.'}${tried} ${installAdvice(options.platform ?? process.platform)}`)
    this.name = 'NoPythonError'
    this.rejected = rejected
  }
}

export interface DiscoveryOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  run?: CommandRunner
  /** The user's home folder (USERPROFILE on Windows). */
  home?: string
  fs?: DiscoveryFs
  tempDir?: string
  /** The workflow's working folder: a `.venv` or `venv` in it is listed first, as "project .venv". */
  projectDir?: string | null
  probeTimeoutMs?: number
  /** How many candidates are probed at once: enough to be quick, few enough not to stall a slow disk. */
  concurrency?: number
}

/** The working folder's own environment first, then the platform's. */
export function locatorsFor(platform: NodeJS.Platform): Locator[] {
  return [locateProjectEnv, ...(platform === 'win32' ? windowsLocators : platform === 'darwin' ? macosLocators : linuxLocators)]
}

function fold(platform: NodeJS.Platform, path: string): string {
  return platform === 'win32' ? path.toLowerCase() : path
}

/** The candidates of this platform, most preferred first, each path once. */
export async function locateCandidates(options: DiscoveryOptions = {}): Promise<Candidate[]> {
  // This machine's PATH may still be growing by the login shell's (an app started from the Finder).
  if (!options.env) await loginShellPathSettled()
  const d = realDiscoveryEnv(options)
  // A locator that fails (reg.exe missing, a folder without permission) must not hide what the others found.
  const found = await Promise.all(
    locatorsFor(d.platform).map((locate) =>
      Promise.resolve()
        .then(() => locate(d))
        .catch(() => [])
    )
  )
  const seen = new Set<string>()
  const out: Candidate[] = []
  for (const c of found.flat()) {
    const key = fold(d.platform, c.path)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(c)
  }
  return out
}

interface CachedProbe {
  mtimeMs: number
  result: ProbeResult
}

// Keyed by file system so a test's fake machine never sees the real machine's answers.
const probeCaches = new WeakMap<DiscoveryFs, Map<string, CachedProbe>>()

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

export interface DiscoveryReport {
  interpreters: PythonInterpreter[]
  rejected: RejectedCandidate[]
}

/**
 * Every candidate probed (or taken from the cache when its file has not changed since), split into the
 * working interpreters, each real executable once, and the rejected candidates with why.
 */
export async function discoverInterpreters(options: DiscoveryOptions & { refresh?: boolean } = {}): Promise<DiscoveryReport> {
  if (!options.env) await loginShellPathSettled()
  const d: DiscoveryEnv = realDiscoveryEnv(options)
  const candidates = await locateCandidates(d)
  let cache = probeCaches.get(d.fs)
  if (!cache) probeCaches.set(d.fs, (cache = new Map()))
  const store = cache

  const results = await mapLimit(candidates, options.concurrency ?? 4, async (c) => {
    const key = fold(d.platform, c.path)
    const mtimeMs = d.fs.mtimeMs(c.path)
    const cached = store.get(key)
    // The mtime changes when an interpreter is upgraded or reinstalled in place; a pyenv shim keeps its
    // mtime when the selected version changes, which is what the settings screen's Refresh is for.
    if (!options.refresh && cached && mtimeMs !== null && cached.mtimeMs === mtimeMs) return cached.result
    const result = await probeCandidate(c.path, c.source, d.run, options.probeTimeoutMs ?? PROBE_TIMEOUT_MS)
    if (mtimeMs !== null) store.set(key, { mtimeMs, result })
    else store.delete(key)
    return result
  })

  const interpreters: PythonInterpreter[] = []
  const rejected: RejectedCandidate[] = []
  const seen = new Set<string>()
  results.forEach((r, i) => {
    const c = candidates[i]
    if (!r.ok) {
      rejected.push({ ...c, reason: r.reason })
      return
    }
    // The real file plus sys.prefix: a shim or a symlink collapses into what it points to, while a venv,
    // whose python is a link to its base interpreter, stays a separate entry with its own packages.
    const id = `${fold(d.platform, d.fs.realpath(r.interpreter.path))}\0${fold(d.platform, r.prefix)}`
    if (seen.has(id)) return
    seen.add(id)
    interpreters.push({ ...r.interpreter, source: c.source })
  })
  return { interpreters, rejected }
}

/** Every working Python 3 on this machine, each real executable once, most preferred first. */
export async function findInterpreters(options: DiscoveryOptions & { refresh?: boolean } = {}): Promise<PythonInterpreter[]> {
  return (await discoverInterpreters(options)).interpreters
}

/**
 * On Windows only an .exe can be started without a shell: a .bat, .cmd or a shortcut would either be
 * refused or, through cmd.exe, fail with a misleading exit code 1. Said at once, naming the file.
 */
function assertWindowsProgram(path: string, d: DiscoveryEnv): void {
  if (d.platform !== 'win32' || !/[\\/]/.test(path) || pathOf('win32').extname(path).toLowerCase() === '.exe') return
  throw new NoPythonError(
    `The chosen interpreter "${path}" is not a program (.exe): Stepwise runs steps with python.exe itself, so choose the python.exe that this file starts.`,
    { platform: d.platform }
  )
}

/**
 * The interpreter to run steps with: the first of `preferred` that is set (a --python flag, a workflow's
 * own interpreter or venv, the one chosen in settings), else the first working Python found.
 */
export async function resolvePython(
  preferred: (string | null | undefined)[],
  options: DiscoveryOptions & { /** Answers kept from earlier runs for a chosen interpreter. */ probeCache?: ProbeCache } = {}
): Promise<PythonInterpreter> {
  const d = realDiscoveryEnv(options)
  const chosen = preferred.find((p): p is string => !!p)
  if (chosen) {
    let path = chosen
    if (d.fs.isDirectory(chosen)) {
      const inside = interpreterInFolder(chosen, d.platform, d.fs)
      if (!inside) {
        const expected = interpreterLayouts(d.platform)[0].join(d.platform === 'win32' ? '\\' : '/')
        throw new NoPythonError(
          `The folder "${chosen}" has no Python in it (a virtual environment keeps it in ${expected}; create one with "python -m venv ${chosen}").`,
          { platform: d.platform }
        )
      }
      path = inside
    } else if (/[\\/]/.test(chosen)) {
      // A bare name like "python3" is looked up on PATH by the probe; a path that is not there is a typo or an uninstall.
      // On Windows a path without an extension stands for the .exe beside it, as it does in a terminal.
      const exe = `${chosen}.exe`
      if (d.platform === 'win32' && !pathOf('win32').extname(chosen) && d.fs.exists(exe)) path = exe
      else if (!d.fs.exists(chosen)) throw new NoPythonError(`The chosen interpreter "${chosen}" does not exist.`, { platform: d.platform })
    }
    assertWindowsProgram(path, d)
    const cached = options.probeCache?.get(path)
    if (cached) return cached.interpreter
    // The one the user named gets longer than a discovery candidate: many runs starting at once on a busy
    // machine can take more than the usual few seconds to start Python, and that is no reason to refuse it.
    const probed = await probeCandidate(path, 'chosen', d.run, options.probeTimeoutMs ?? CHOSEN_PROBE_TIMEOUT_MS)
    if (probed.ok) options.probeCache?.set(path, probed)
    if (!probed.ok)
      throw new NoPythonError(`The chosen interpreter "${chosen}" is not a working Python 3: it ${probed.reason}.`, {
        platform: d.platform
      })
    return probed.interpreter
  }
  const report = await discoverInterpreters(options)
  if (!report.interpreters.length) throw new NoPythonError(undefined, { platform: d.platform, rejected: report.rejected })
  return report.interpreters[0]
}
