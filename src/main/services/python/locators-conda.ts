// conda's environments wherever its installers, micromamba and conda itself put them. An environment is
// a prefix with python.exe at its root on Windows and bin/python3 elsewhere.
import { envVar, matchingChildren, pathOf, type DiscoveryEnv } from './discovery-env'
import type { Candidate } from './locators-common'

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

/** Where micromamba keeps its root prefix: MAMBA_ROOT_PREFIX, ~/micromamba (1.x), ~/.local/share/mamba (2.x). */
function micromambaRoots(d: DiscoveryEnv): string[] {
  const p = pathOf(d.platform)
  const set = envVar(d.env, 'MAMBA_ROOT_PREFIX', d.platform)
  return [...(set ? [set] : []), p.join(d.home, 'micromamba'), p.join(d.home, '.local', 'share', 'mamba')]
}

/** A root prefix and the named environments under its envs folder. */
function withEnvs(d: DiscoveryEnv, roots: string[], source: string): { prefix: string; source: string }[] {
  const p = pathOf(d.platform)
  const out: { prefix: string; source: string }[] = []
  for (const root of roots) {
    if (!d.fs.isDirectory(root)) continue
    out.push({ prefix: root, source })
    const envs = p.join(root, 'envs')
    for (const name of matchingChildren(d.fs, envs, /^[^.]/)) out.push({ prefix: p.join(envs, name), source })
  }
  return out
}

/**
 * conda base environments and their named environments, micromamba's, the per-user ~/.conda/envs
 * (where conda puts environments when its base folder is read-only), plus every prefix conda itself
 * has recorded.
 */
export function locateConda(d: DiscoveryEnv): Candidate[] {
  const p = pathOf(d.platform)
  const prefixes: { prefix: string; source: string }[] = []
  const active = envVar(d.env, 'CONDA_PREFIX', d.platform)
  if (active) prefixes.push({ prefix: active, source: 'conda' })
  prefixes.push(...withEnvs(d, condaRoots(d), 'conda'))
  const userEnvs = p.join(d.home, '.conda', 'envs')
  for (const name of matchingChildren(d.fs, userEnvs, /^[^.]/)) prefixes.push({ prefix: p.join(userEnvs, name), source: 'conda' })
  prefixes.push(...withEnvs(d, micromambaRoots(d), 'micromamba'))
  // conda appends every environment it creates here, wherever it lives (e.g. `conda create -p D:\envs\x`).
  const registry = p.join(d.home, '.conda', 'environments.txt')
  if (d.fs.exists(registry)) {
    for (const line of readLines(d, registry)) prefixes.push({ prefix: line, source: 'conda' })
  }
  const out: Candidate[] = []
  const seen = new Set<string>()
  for (const { prefix, source } of prefixes) {
    const exe = condaPython(d, prefix)
    const key = d.platform === 'win32' ? exe.toLowerCase() : exe
    if (seen.has(key) || !d.fs.exists(exe)) continue
    seen.add(key)
    out.push({ path: exe, source })
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
