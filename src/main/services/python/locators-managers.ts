// Interpreters and environments that Python's own tool managers keep in their data and cache folders,
// rarely on PATH: uv's managed Pythons, Poetry, pipenv and Hatch environments. Each tool's folders per
// platform, its environment variable first.
import { envVar, matchingChildren, pathOf, type DiscoveryEnv } from './discovery-env'
import { interpreterInFolder } from './env-folder'
import type { Candidate, Locator } from './locators-common'

type Folders = (d: DiscoveryEnv) => (string | undefined)[]

/** The per-user data folder of a tool: XDG on Linux, Application Support on macOS, %LOCALAPPDATA% on Windows. */
function dataHome(d: DiscoveryEnv): string {
  const p = pathOf(d.platform)
  if (d.platform === 'win32') return envVar(d.env, 'LOCALAPPDATA', d.platform) ?? p.join(d.home, 'AppData', 'Local')
  if (d.platform === 'darwin') return p.join(d.home, 'Library', 'Application Support')
  return envVar(d.env, 'XDG_DATA_HOME', d.platform) ?? p.join(d.home, '.local', 'share')
}

function cacheHome(d: DiscoveryEnv): string {
  const p = pathOf(d.platform)
  if (d.platform === 'win32') return envVar(d.env, 'LOCALAPPDATA', d.platform) ?? p.join(d.home, 'AppData', 'Local')
  if (d.platform === 'darwin') return p.join(d.home, 'Library', 'Caches')
  return envVar(d.env, 'XDG_CACHE_HOME', d.platform) ?? p.join(d.home, '.cache')
}

/** Every environment folder directly inside the given folders, as candidates of one source. */
function environmentsIn(d: DiscoveryEnv, folders: (string | undefined)[], source: string): Candidate[] {
  const p = pathOf(d.platform)
  const out: Candidate[] = []
  for (const folder of new Set(folders.filter((f): f is string => !!f))) {
    // Dot entries are the tools' own lock and cache files (uv's .lock, .cache, .temp).
    for (const name of matchingChildren(d.fs, folder, /^[^.]/)) {
      const exe = interpreterInFolder(p.join(folder, name), d.platform, d.fs)
      if (exe) out.push({ path: exe, source })
    }
  }
  return out
}

const uvFolders: Folders = (d) => {
  const p = pathOf(d.platform)
  const appData = envVar(d.env, 'APPDATA', d.platform) ?? p.join(d.home, 'AppData', 'Roaming')
  return [
    envVar(d.env, 'UV_PYTHON_INSTALL_DIR', d.platform),
    ...(d.platform === 'win32'
      ? // uv keeps its data in %APPDATA%\uv\data; versions before 0.5 put Pythons straight in %APPDATA%\uv\python.
        [p.join(appData, 'uv', 'data', 'python'), p.join(appData, 'uv', 'python')]
      : [p.join(envVar(d.env, 'XDG_DATA_HOME', d.platform) ?? p.join(d.home, '.local', 'share'), 'uv', 'python')])
  ]
}

/** uv's managed Pythons: `<dir>/cpython-3.12.4-<platform>/bin/python3` (python.exe at the top on Windows). */
export const locateUv: Locator = (d) => {
  const p = pathOf(d.platform)
  const out: Candidate[] = []
  for (const folder of new Set(uvFolders(d).filter((f): f is string => !!f))) {
    for (const name of matchingChildren(d.fs, folder, /^[^.]/)) {
      const root = p.join(folder, name)
      const exe = d.platform === 'win32' ? p.join(root, 'python.exe') : p.join(root, 'bin', 'python3')
      if (d.fs.exists(exe)) out.push({ path: exe, source: 'uv' })
    }
  }
  return out
}

const poetryFolders: Folders = (d) => {
  const p = pathOf(d.platform)
  const cacheDir = envVar(d.env, 'POETRY_CACHE_DIR', d.platform)
  return [
    envVar(d.env, 'POETRY_VIRTUALENVS_PATH', d.platform),
    cacheDir && p.join(cacheDir, 'virtualenvs'),
    d.platform === 'win32' ? p.join(cacheHome(d), 'pypoetry', 'Cache', 'virtualenvs') : p.join(cacheHome(d), 'pypoetry', 'virtualenvs')
  ]
}

/** Poetry's environments, one folder per project and Python: `<cache>/virtualenvs/<project>-<hash>-py3.12`. */
export const locatePoetry: Locator = (d) => environmentsIn(d, poetryFolders(d), 'Poetry')

/** pipenv's environments in WORKON_HOME, else ~/.local/share/virtualenvs (on Windows too), or ~/.virtualenvs. */
export const locatePipenv: Locator = (d) => {
  const p = pathOf(d.platform)
  const xdgData = envVar(d.env, 'XDG_DATA_HOME', d.platform) ?? p.join(d.home, '.local', 'share')
  return environmentsIn(
    d,
    [envVar(d.env, 'WORKON_HOME', d.platform), p.join(xdgData, 'virtualenvs'), p.join(d.home, '.virtualenvs')],
    'pipenv'
  )
}

/** Hatch's environments: `<data>/env/virtual/<project>/<project id>/<env name>`, two levels below the tool's folder. */
export const locateHatch: Locator = (d) => {
  const p = pathOf(d.platform)
  const data = envVar(d.env, 'HATCH_DATA_DIR', d.platform) ?? p.join(dataHome(d), 'hatch')
  const virtual = p.join(data, 'env', 'virtual')
  const folders: string[] = []
  for (const project of matchingChildren(d.fs, virtual, /^[^.]/)) {
    const projectDir = p.join(virtual, project)
    for (const id of matchingChildren(d.fs, projectDir, /^[^.]/)) folders.push(p.join(projectDir, id))
  }
  return environmentsIn(d, folders, 'Hatch')
}
