// Scoop installs Python per user under ~\scoop\apps\python<version>\current (a junction to the version
// folder), or for all users under %ProgramData%\scoop; neither is registered in PEP 514 unless the user ran
// Scoop's optional registry script.
import { envVar, matchingChildren, pathOf } from './discovery-env'
import type { Candidate, Locator } from './locators-common'

const win = pathOf('win32')

export const locateScoop: Locator = (d) => {
  const roots = [
    envVar(d.env, 'SCOOP', 'win32') ?? win.join(d.home, 'scoop'),
    envVar(d.env, 'SCOOP_GLOBAL', 'win32') ?? win.join(envVar(d.env, 'ProgramData', 'win32') ?? 'C:\\ProgramData', 'scoop')
  ]
  const out: Candidate[] = []
  for (const root of roots) {
    const apps = win.join(root, 'apps')
    // `python` is Scoop's current release, then the versioned buckets' python313, python311-freethreaded...
    const named = matchingChildren(d.fs, apps, /^python/i)
    const ordered = [...named.filter((n) => n.toLowerCase() === 'python'), ...named.filter((n) => n.toLowerCase() !== 'python')]
    for (const app of ordered) {
      const exe = win.join(apps, app, 'current', 'python.exe')
      if (d.fs.exists(exe)) out.push({ path: exe, source: 'Scoop' })
    }
  }
  return out
}
