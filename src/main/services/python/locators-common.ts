// Locators shared by several platforms: PATH and pyenv differ only in folder layout.
import { envVar, matchingChildren, pathOf, type DiscoveryEnv } from './discovery-env'

export interface Candidate {
  path: string
  /** Shown in settings next to the interpreter: "PATH", "pyenv", "py launcher", "registry", ... */
  source: string
}

export type Locator = (d: DiscoveryEnv) => Promise<Candidate[]> | Candidate[]

/** PATH split the way the OS splits it: ';' on Windows (where paths contain ':'), ':' elsewhere. */
export function pathEntries(d: DiscoveryEnv): string[] {
  const raw = envVar(d.env, 'PATH', d.platform) ?? ''
  return raw
    .split(d.platform === 'win32' ? ';' : ':')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter(Boolean)
}

/** Python executables on PATH, in PATH order; `skip` drops known stubs. */
export function locateOnPath(d: DiscoveryEnv, skip: (path: string) => boolean = () => false): Candidate[] {
  const p = pathOf(d.platform)
  const out: Candidate[] = []
  for (const dir of pathEntries(d)) {
    const names =
      d.platform === 'win32'
        ? ['python.exe', 'python3.exe']
        : isPyenvShims(p, dir)
          ? // Only the shim a terminal runs: it tells which version is the user's default. Every other
            // shim is a slow bash round trip to a version that locatePyenv lists directly anyway.
            ['python3']
          : // python3 first: it is what a terminal runs; versioned names find side-by-side installs
            // (deadsnakes, Homebrew's python3.12); bare python last since it is often Python 2 or absent.
            ['python3', ...matchingChildren(d.fs, dir, /^python3\.\d+$/), 'python']
    for (const name of names) {
      const candidate = p.join(dir, name)
      if (!skip(candidate) && d.fs.exists(candidate)) out.push({ path: candidate, source: 'PATH' })
    }
  }
  return out
}

/** ~/.pyenv/shims, and the shims of pyenv plugins such as pyenv-virtualenv. */
function isPyenvShims(p: typeof import('node:path').posix, dir: string): boolean {
  return p.basename(dir) === 'shims' && /pyenv/i.test(p.dirname(dir))
}

/** pyenv's installed versions (`$PYENV_ROOT/versions/<v>/bin/python3`); shims are skipped, they re-exec these. */
export function locatePyenv(d: DiscoveryEnv): Candidate[] {
  const p = pathOf(d.platform)
  const root = envVar(d.env, 'PYENV_ROOT', d.platform) ?? p.join(d.home, '.pyenv')
  const versions = p.join(root, 'versions')
  return matchingChildren(d.fs, versions, /./)
    .map((v) => p.join(versions, v, 'bin', 'python3'))
    .filter((exe) => d.fs.exists(exe))
    .map((path) => ({ path, source: 'pyenv' }))
}
