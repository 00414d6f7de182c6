// Where Python lives on Windows. Many installs are not on PATH (the python.org installer leaves
// "Add python.exe to PATH" unticked by default), so the py launcher, the PEP 514 registry entries and the
// default install folders matter as much as PATH does.
import { consoleDecoder } from './console-encoding'
import { envVar, matchingChildren, pathOf } from './discovery-env'
import { locateConda } from './locators-conda'
import { locateOnPath, type Candidate, type Locator } from './locators-common'
import { locateHatch, locatePipenv, locatePoetry, locateUv } from './locators-managers'
import { locateScoop } from './locators-scoop'
import { readRegistryKey } from './registry-export'
import { PEP514_ROOTS, registryExecutables } from './registry-tree'

const win = pathOf('win32')
const COMMAND_TIMEOUT_MS = 5000

// ---------------------------------------------------------------------------------------------------
// PATH

/**
 * The folder of the Store's "app execution aliases". Its python.exe / python3.exe either open the Store
 * page or exit with 9009 unless the Store Python is installed; the real Store installs are found through
 * their own package folders (see locateStore), so the aliases here are never candidates.
 */
export function isStoreAliasFolder(dir: string): boolean {
  return /[\\/]microsoft[\\/]windowsapps[\\/]?$/i.test(dir.trim())
}

export const locateWindowsPath: Locator = (d) => locateOnPath(d, (p) => isStoreAliasFolder(win.dirname(p)))

// ---------------------------------------------------------------------------------------------------
// py launcher

export interface LauncherEntry {
  path: string
  isDefault: boolean
}

/**
 * Parses `py -0p`. The classic launcher prints ` -3.11-64        C:\...\python.exe *` (default marked
 * after the path); the 3.12+ launcher and the install manager print ` -V:3.12 *        C:\...\python.exe`
 * (marked after the tag) and `  *               C:\...\python.exe` for an active virtual environment.
 */
export function parsePyLauncherList(stdout: string): LauncherEntry[] {
  const out: LauncherEntry[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const at = line.search(/[A-Za-z]:\\|\\\\/)
    if (at < 0) continue
    let path = line.slice(at).trim()
    let isDefault = line.slice(0, at).includes('*')
    if (/\s\*$/.test(path)) {
      path = path.slice(0, -1).trim()
      isDefault = true
    }
    out.push({ path, isDefault })
  }
  return out
}

/** Parses `py list --format=json` of the Python install manager: `{"versions": [{"executable", "prefix", "default"}]}`. */
export function parsePyManagerJson(stdout: string): LauncherEntry[] {
  try {
    const data = JSON.parse(stdout) as { versions?: { executable?: string; prefix?: string; default?: boolean }[] }
    return (data.versions ?? [])
      .filter((v) => typeof v.executable === 'string' && v.executable)
      .map((v) => ({
        path: win.isAbsolute(v.executable!) || !v.prefix ? v.executable! : win.join(v.prefix, v.executable!),
        isDefault: !!v.default
      }))
  } catch {
    return []
  }
}

export const locatePyLauncher: Locator = async (d) => {
  const decode = await consoleDecoder(d)
  let entries: LauncherEntry[] = []
  // The install manager's JSON names every runtime with its real path and says which is the default; the
  // classic launcher does not know `list` and answers with an error, so `-0p` is the fallback.
  const listed = await d.run('py', ['list', '--format=json'], { timeoutMs: COMMAND_TIMEOUT_MS, decode })
  if (listed.exitCode === 0) entries = parsePyManagerJson(listed.stdout)
  if (!entries.length) {
    const legacy = await d.run('py', ['-0p'], { timeoutMs: COMMAND_TIMEOUT_MS, decode })
    if (legacy.exitCode === 0) entries = parsePyLauncherList(legacy.stdout)
  }
  // The launcher's default is what `py` runs, so it is the most likely intended one.
  entries.sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
  return entries.filter((e) => d.fs.exists(e.path)).map((e) => ({ path: e.path, source: 'py launcher' }))
}

// ---------------------------------------------------------------------------------------------------
// PEP 514 registry

export const locateRegistry: Locator = async (d) => {
  // One export per hive, all at once; a hive without Python is simply empty.
  const trees = await Promise.all(PEP514_ROOTS.map((root) => readRegistryKey(d, root)))
  const out: Candidate[] = []
  PEP514_ROOTS.forEach((root, i) => {
    const tree = trees[i]
    if (!tree) return
    for (const exe of registryExecutables(tree, root)) if (d.fs.exists(exe)) out.push({ path: exe, source: 'registry' })
  })
  return out
}

// ---------------------------------------------------------------------------------------------------
// Install folders

/** Store installs: each package folder under WindowsApps holds a working alias to that package's python.exe. */
export const locateStore: Locator = (d) => {
  const local = envVar(d.env, 'LOCALAPPDATA', 'win32')
  if (!local) return []
  const apps = win.join(local, 'Microsoft', 'WindowsApps')
  return matchingChildren(d.fs, apps, /^PythonSoftwareFoundation\.Python\.3/i)
    .map((pkg) => win.join(apps, pkg, 'python.exe'))
    .filter((exe) => d.fs.exists(exe))
    .map((path) => ({ path, source: 'Microsoft Store' }))
}

/** The python.org installer's folders (per user and all users), old C:\Python3x installs, and the install manager's runtimes. */
export const locateInstallFolders: Locator = (d) => {
  const local = envVar(d.env, 'LOCALAPPDATA', 'win32')
  const systemDrive = envVar(d.env, 'SystemDrive', 'win32') ?? 'C:'
  const out: Candidate[] = []
  const scan = (parent: string, pattern: RegExp, source: string): void => {
    for (const name of matchingChildren(d.fs, parent, pattern)) {
      const exe = win.join(parent, name, 'python.exe')
      if (d.fs.exists(exe)) out.push({ path: exe, source })
    }
  }
  if (local) {
    scan(win.join(local, 'Programs', 'Python'), /^Python3\d*/i, 'python.org')
    // Install manager runtimes live in %LOCALAPPDATA%\Python\<id> (e.g. pythoncore-3.14-64); skip its bin, _cache.
    scan(win.join(local, 'Python'), /^(?!bin$|_)/i, 'py install manager')
  }
  for (const programFiles of [envVar(d.env, 'ProgramFiles', 'win32'), envVar(d.env, 'ProgramFiles(x86)', 'win32')]) {
    if (programFiles) scan(programFiles, /^Python3\d*/i, 'python.org')
  }
  scan(`${systemDrive}\\`, /^Python3\d*$/i, 'python.org')
  return out
}

/** pyenv-win keeps each version in <root>\versions\<v>\python.exe; its env vars point at ...\.pyenv\pyenv-win. */
export const locatePyenvWin: Locator = (d) => {
  const root =
    envVar(d.env, 'PYENV_ROOT', 'win32') ??
    envVar(d.env, 'PYENV', 'win32') ??
    envVar(d.env, 'PYENV_HOME', 'win32') ??
    win.join(d.home, '.pyenv', 'pyenv-win')
  const versions = win.join(root, 'versions')
  return matchingChildren(d.fs, versions, /./)
    .map((v) => win.join(versions, v, 'python.exe'))
    .filter((exe) => d.fs.exists(exe))
    .map((path) => ({ path, source: 'pyenv-win' }))
}

/** Most preferred first: what a terminal would run, then what `py` would run, then everything registered or installed. */
export const windowsLocators: Locator[] = [
  locateWindowsPath,
  locatePyLauncher,
  locateRegistry,
  locateStore,
  locateInstallFolders,
  locateScoop,
  locateUv,
  locateConda,
  locatePyenvWin,
  locatePoetry,
  locatePipenv,
  locateHatch
]
