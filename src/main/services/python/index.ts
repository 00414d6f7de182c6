// Finding Python: one entry point over the locators of each platform. Every candidate is verified by
// running it, and the same real executable found through several sources is listed once.
import { existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { PythonInterpreter } from '../../../shared/model'
import type { CommandRunner } from '../command-runner'
import { probeInterpreter } from './probe'

export class NoPythonError extends Error {
  constructor(detail?: string) {
    super(
      `${detail ? `${detail} ` : ''}No working Python 3 was found. Install Python 3 from https://www.python.org/downloads/ ` +
        '(on Windows tick "Add python.exe to PATH"), or choose an interpreter in Settings → Python (CLI: --python PATH).'
    )
    this.name = 'NoPythonError'
  }
}

export interface Candidate {
  path: string
  source: string
}

export interface DiscoveryOptions {
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
  run?: CommandRunner
}

function pathCandidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Candidate[] {
  const names = platform === 'win32' ? ['python.exe', 'python3.exe'] : ['python3', 'python']
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean)
  const out: Candidate[] = []
  for (const dir of dirs) for (const name of names) {
    const p = join(dir, name)
    if (existsSync(p)) out.push({ path: p, source: 'PATH' })
  }
  return out
}

/** The candidates of this platform, most preferred first. */
export async function locateCandidates(options: DiscoveryOptions = {}): Promise<Candidate[]> {
  const platform = options.platform ?? process.platform
  const env = options.env ?? process.env
  return pathCandidates(env, platform)
}

let cache: { key: string; interpreters: PythonInterpreter[] } | null = null

function cacheKey(candidates: Candidate[]): string {
  return candidates
    .map((c) => {
      try {
        return `${c.path}@${statSync(c.path).mtimeMs}`
      } catch {
        return `${c.path}@missing`
      }
    })
    .join('|')
}

/** Every working Python 3 on this machine, each real executable once, most preferred first. */
export async function findInterpreters(options: DiscoveryOptions & { refresh?: boolean } = {}): Promise<PythonInterpreter[]> {
  const candidates = await locateCandidates(options)
  const key = cacheKey(candidates)
  if (!options.refresh && cache?.key === key) return cache.interpreters
  const probed = await Promise.all(candidates.map((c) => probeInterpreter(c.path, c.source, options.run)))
  const seen = new Set<string>()
  const interpreters: PythonInterpreter[] = []
  for (const p of probed) {
    if (!p) continue
    const id = process.platform === 'win32' ? p.path.toLowerCase() : p.path
    if (seen.has(id)) continue
    seen.add(id)
    interpreters.push(p)
  }
  cache = { key, interpreters }
  return interpreters
}

/** A virtual environment folder stands for the interpreter inside it. */
export function interpreterInFolder(folder: string, platform: NodeJS.Platform = process.platform): string | null {
  const inside = platform === 'win32' ? ['Scripts\\python.exe', 'python.exe'] : ['bin/python3', 'bin/python']
  for (const rel of inside) {
    const p = join(folder, rel)
    if (existsSync(p)) return p
  }
  return null
}

/**
 * The interpreter to run steps with: the first of `preferred` that is set (a --python flag, a workflow's
 * own interpreter or venv, the one chosen in settings), else the first working Python found.
 */
export async function resolvePython(preferred: (string | null | undefined)[], options: DiscoveryOptions = {}): Promise<PythonInterpreter> {
  const chosen = preferred.find((p): p is string => !!p)
  if (chosen) {
    let path = chosen
    try {
      if (statSync(chosen).isDirectory()) path = interpreterInFolder(chosen) ?? chosen
    } catch {
      // not a file we can see: let the probe say whether it runs (a bare "python3" on PATH does)
    }
    const found = await probeInterpreter(path, 'chosen', options.run)
    if (!found) throw new NoPythonError(`The chosen interpreter "${chosen}" is not a working Python 3.`)
    return found
  }
  const all = await findInterpreters(options)
  if (!all.length) throw new NoPythonError()
  return all[0]
}
