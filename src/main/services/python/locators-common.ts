// Locators shared by several platforms: PATH, pyenv and conda differ only in folder layout.
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

/** Where Anaconda, Miniconda, Miniforge and Mambaforge put their base environment by default. */
function condaRoots(d: DiscoveryEnv): string[] {
  const p = pathOf(d.platform)
  const names = ['anaconda3', 'miniconda3', 'miniforge3', 'mambaforge', 'Anaconda3', 'Miniconda3']
  const roots: string[] = []
  const condaExe = envVar(d.env, 'CONDA_EXE', d.platform)
  // CONDA_EXE is <root>/bin/conda (<root>\Scripts\conda.exe on Windows): the one the user actually uses.
  if (condaExe) roots.push(p.dirname(p.dirname(condaExe)))
  for (const n of names) roots.push(p.join(d.home, n))
  if (d.platform === 'win32') {
    const local = envVar(d.env, 'LOCALAPPDATA', d.platform)
    const programData = envVar(d.env, 'ProgramData', d.platform) ?? 'C:\\ProgramData'
    for (const n of names) {
      if (local) roots.push(p.join(local, n))
      roots.push(p.join(programData, n))
    }
  } else {
    for (const n of names) roots.push(p.join('/opt', n))
    if (d.platform === 'darwin') {
      for (const brew of ['/opt/homebrew', '/usr/local']) {
        roots.push(p.join(brew, 'anaconda3'))
        for (const cask of ['miniconda', 'miniforge', 'anaconda']) roots.push(p.join(brew, 'Caskroom', cask, 'base'))
      }
    }
  }
  return roots
}

function condaPython(d: DiscoveryEnv, prefix: string): string {
  const p = pathOf(d.platform)
  return d.platform === 'win32' ? p.join(prefix, 'python.exe') : p.join(prefix, 'bin', 'python3')
}

/** conda base environments and their named environments, plus every prefix conda itself has recorded. */
export function locateConda(d: DiscoveryEnv): Candidate[] {
  const p = pathOf(d.platform)
  const prefixes: string[] = []
  const active = envVar(d.env, 'CONDA_PREFIX', d.platform)
  if (active) prefixes.push(active)
  for (const root of condaRoots(d)) {
    if (!d.fs.isDirectory(root)) continue
    prefixes.push(root)
    const envs = p.join(root, 'envs')
    for (const name of matchingChildren(d.fs, envs, /./)) prefixes.push(p.join(envs, name))
  }
  // conda appends every environment it creates here, wherever it lives (e.g. `conda create -p D:\envs\x`).
  const registry = p.join(d.home, '.conda', 'environments.txt')
  if (d.fs.exists(registry)) {
    for (const line of readLines(d, registry)) prefixes.push(line)
  }
  const out: Candidate[] = []
  const seen = new Set<string>()
  for (const prefix of prefixes) {
    const exe = condaPython(d, prefix)
    const key = d.platform === 'win32' ? exe.toLowerCase() : exe
    if (seen.has(key) || !d.fs.exists(exe)) continue
    seen.add(key)
    out.push({ path: exe, source: 'conda' })
  }
  return out
}

function readLines(d: DiscoveryEnv, file: string): string[] {
  const text = d.fs.readText(file) ?? ''
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
}
