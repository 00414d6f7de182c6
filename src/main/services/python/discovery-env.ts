// Everything the locators learn about the machine goes through this object, so the Windows and macOS
// locators can be exercised on Linux against a fake file system, a fake registry and canned command
// output, and the real machine is only touched by `realDiscoveryEnv`.
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { posix, win32 } from 'node:path'
import { runCommand, type CommandRunner } from '../command-runner'

export interface DiscoveryFs {
  /** True for a file or folder; app execution aliases (Store stubs) count as existing. */
  exists(path: string): boolean
  isDirectory(path: string): boolean
  /** Names inside a folder; [] when it cannot be read. */
  list(path: string): string[]
  /** Modification time in ms, or null when the path is gone. */
  mtimeMs(path: string): number | null
  /** The path with symlinks resolved; the path itself when that fails. */
  realpath(path: string): string
  /** A small text file's content, or null when it cannot be read. */
  readText(path: string): string | null
  /** A small file's bytes (a `reg export` file is UTF-16), or null when it cannot be read. */
  readBytes(path: string): Uint8Array | null
  /** Deletes a file Stepwise wrote (a registry export); no error when it is gone. */
  remove(path: string): void
}

export interface DiscoveryEnv {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  home: string
  fs: DiscoveryFs
  run: CommandRunner
  /** Where helper tools may write a file for Stepwise to read (reg export). */
  tempDir: string
  /** The workflow's working folder, whose own .venv or venv comes first; absent for machine-wide discovery. */
  projectDir?: string | null
}

export const realFs: DiscoveryFs = {
  exists(p) {
    // existsSync follows links; an app execution alias cannot be followed by every libuv version, so
    // fall back to lstat before calling it absent.
    if (existsSync(p)) return true
    try {
      lstatSync(p)
      return true
    } catch {
      return false
    }
  },
  isDirectory(p) {
    try {
      return statSync(p).isDirectory()
    } catch {
      return false
    }
  },
  list(p) {
    try {
      return readdirSync(p)
    } catch {
      return []
    }
  },
  mtimeMs(p) {
    try {
      return statSync(p).mtimeMs
    } catch {
      try {
        return lstatSync(p).mtimeMs
      } catch {
        return null
      }
    }
  },
  realpath(p) {
    try {
      return realpathSync.native(p)
    } catch {
      return p
    }
  },
  readText(p) {
    try {
      return readFileSync(p, 'utf8')
    } catch {
      return null
    }
  },
  readBytes(p) {
    try {
      return readFileSync(p)
    } catch {
      return null
    }
  },
  remove(p) {
    rmSync(p, { force: true })
  }
}

export function realDiscoveryEnv(overrides: Partial<DiscoveryEnv> = {}): DiscoveryEnv {
  return {
    platform: overrides.platform ?? process.platform,
    env: overrides.env ?? process.env,
    home: overrides.home ?? homedir(),
    fs: overrides.fs ?? realFs,
    run: overrides.run ?? runCommand,
    tempDir: overrides.tempDir ?? tmpdir(),
    projectDir: overrides.projectDir ?? null
  }
}

/** Path helpers of the target platform, not of the machine the code runs on (tests fake Windows on Linux). */
export function pathOf(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix
}

/**
 * An environment variable by name. Windows names are case-insensitive (`Path`, `PATH`, `LocalAppData`),
 * and an injected env object is a plain object that does not know that.
 */
export function envVar(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name] || undefined
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(env)) if (k.toLowerCase() === lower && v) return v
  return undefined
}

/** Folders inside `dir` whose names match, sorted newest version first (Python312 before Python39). */
export function matchingChildren(fs: DiscoveryFs, dir: string, pattern: RegExp): string[] {
  return fs
    .list(dir)
    .filter((name) => pattern.test(name))
    .sort(compareVersionNamesDesc)
}

/** Compares names by the numbers in them, so "3.12" sorts above "3.9" and "Python312" above "Python39". */
export function compareVersionNamesDesc(a: string, b: string): number {
  const na = versionKey(a)
  const nb = versionKey(b)
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (nb[i] ?? -1) - (na[i] ?? -1)
    if (d) return d
  }
  return a < b ? -1 : a > b ? 1 : 0
}

function versionKey(name: string): number[] {
  // "Python312" carries no dot: read it as 3.12, the way the python.org installer names folders.
  const compact = /python(\d)(\d+)/i.exec(name)
  if (compact && !/\d\.\d/.test(name)) return [Number(compact[1]), Number(compact[2])]
  return (name.match(/\d+/g) ?? []).map(Number)
}
