// A project's own environment: a `.venv` or `venv` folder in the workflow's working folder, as uv, Poetry
// (in-project), pipenv (PIPENV_VENV_IN_PROJECT) and `python -m venv .venv` make it. Its packages are the ones
// the scripts of that folder were written against, so it is preferred over any interpreter of the machine.
import { pathOf, realFs, type DiscoveryFs } from './discovery-env'
import { interpreterInFolder } from './env-folder'
import type { Locator } from './locators-common'

export const PROJECT_ENV_SOURCE = 'project .venv'
const FOLDER_NAMES = ['.venv', 'venv']

/** The interpreter of the working folder's own environment, or null when it has none. */
export function projectInterpreter(
  workingDirectory: string,
  platform: NodeJS.Platform = process.platform,
  fs: DiscoveryFs = realFs
): string | null {
  const p = pathOf(platform)
  for (const name of FOLDER_NAMES) {
    const exe = interpreterInFolder(p.join(workingDirectory, name), platform, fs)
    if (exe) return exe
  }
  return null
}

export const locateProjectEnv: Locator = (d) => {
  if (!d.projectDir) return []
  const exe = projectInterpreter(d.projectDir, d.platform, d.fs)
  return exe ? [{ path: exe, source: PROJECT_ENV_SOURCE }] : []
}
