// A conda environment's Python imports DLLs (numpy's MKL, GDAL, Qt) found through PATH, which
// `conda activate` sets up; run without activation, `import numpy` fails with "DLL load failed". So a step
// run by a conda environment's Python gets the folders activation would put first on PATH.
import { pathOf, realFs, type DiscoveryFs } from './discovery-env'

/** The conda prefix (the folder holding conda-meta) an interpreter belongs to, or null for any other Python. */
export function condaPrefixOf(python: string, platform: NodeJS.Platform = process.platform, fs: DiscoveryFs = realFs): string | null {
  const p = pathOf(platform)
  // <prefix>\python.exe on Windows, <prefix>/bin/python3 elsewhere.
  const prefix = platform === 'win32' ? p.dirname(python) : p.dirname(p.dirname(python))
  return fs.isDirectory(p.join(prefix, 'conda-meta')) ? prefix : null
}

/** What `conda activate` puts first on PATH, in its order. */
export function condaPathEntries(prefix: string, platform: NodeJS.Platform): string[] {
  const p = pathOf(platform)
  if (platform !== 'win32') return [p.join(prefix, 'bin')]
  return [
    prefix,
    p.join(prefix, 'Library', 'mingw-w64', 'bin'),
    p.join(prefix, 'Library', 'usr', 'bin'),
    p.join(prefix, 'Library', 'bin'),
    p.join(prefix, 'Scripts'),
    p.join(prefix, 'bin')
  ]
}

/**
 * The step's environment as the interpreter needs it: for a conda environment, its folders first on PATH
 * and CONDA_PREFIX naming it; any other interpreter gets the environment unchanged.
 */
export function interpreterEnvironment(
  env: Record<string, string>,
  python: string,
  platform: NodeJS.Platform = process.platform,
  fs: DiscoveryFs = realFs
): Record<string, string> {
  const prefix = condaPrefixOf(python, platform, fs)
  if (!prefix) return env
  const separator = platform === 'win32' ? ';' : ':'
  // Windows spells it Path; writing a second PATH beside it would leave which one wins to chance.
  const pathKey = (platform === 'win32' && Object.keys(env).find((k) => k.toUpperCase() === 'PATH')) || 'PATH'
  const fold = (s: string): string => (platform === 'win32' ? s.toLowerCase() : s)
  const first = condaPathEntries(prefix, platform)
  const firstKeys = new Set(first.map(fold))
  const rest = (env[pathKey] ?? '').split(separator).filter((e) => e && !firstKeys.has(fold(e)))
  return { ...env, [pathKey]: [...first, ...rest].join(separator), CONDA_PREFIX: prefix }
}
