// Where Python lives on macOS. An app started from the Finder gets a minimal PATH
// (/usr/bin:/bin:/usr/sbin:/sbin), so Homebrew, python.org, pyenv and conda are looked up where they
// install themselves rather than trusted to be on PATH.
import { matchingChildren, pathOf, type DiscoveryEnv } from './discovery-env'
import { locateConda } from './locators-conda'
import { locateHatch, locatePipenv, locatePoetry, locateUv } from './locators-managers'
import { locateOnPath, locatePyenv, type Candidate, type Locator } from './locators-common'

const posix = pathOf('darwin')
const SYSTEM_PYTHON = '/usr/bin/python3'

const cltChecks = new WeakMap<DiscoveryEnv, Promise<boolean>>()

/**
 * Whether /usr/bin/python3 is a real interpreter. Without the Command Line Tools (or Xcode) it is a stub
 * that pops an "install developer tools" dialog when run, so it must not even be probed.
 * `xcode-select -p` prints the active developer folder only when one is installed, and that folder then
 * holds the python3 the stub forwards to.
 */
export function commandLineToolsInstalled(d: DiscoveryEnv): Promise<boolean> {
  let check = cltChecks.get(d)
  if (!check) {
    check = d.run('xcode-select', ['-p'], { timeoutMs: 5000 }).then((r) => {
      const dir = r.stdout.trim()
      return r.exitCode === 0 && !!dir && d.fs.exists(posix.join(dir, 'usr', 'bin', 'python3'))
    })
    cltChecks.set(d, check)
  }
  return check
}

function isSystemStub(path: string): boolean {
  return path === SYSTEM_PYTHON || path === '/usr/bin/python'
}

/**
 * PATH minus /usr/bin/python3: without the tools it is the dialog-popping stub, and with them it is
 * Apple's build for developer tools, rarely the one a user means, so locateCommandLineTools lists it last.
 */
export const locateMacPath: Locator = (d) => locateOnPath(d, isSystemStub)

/** Homebrew on Apple silicon (/opt/homebrew) and Intel (/usr/local), including keg-only python@3.x. */
export const locateHomebrew: Locator = (d) => {
  const out: Candidate[] = []
  for (const prefix of ['/opt/homebrew', '/usr/local']) {
    const bin = posix.join(prefix, 'bin')
    const paths = [posix.join(bin, 'python3'), ...matchingChildren(d.fs, bin, /^python3\.\d+$/).map((n) => posix.join(bin, n))]
    const opt = posix.join(prefix, 'opt')
    for (const keg of matchingChildren(d.fs, opt, /^python@3\.\d+$/)) paths.push(posix.join(opt, keg, 'bin', 'python3'))
    for (const path of paths) {
      if (!d.fs.exists(path)) continue
      // The python.org installer also links itself into /usr/local/bin; name it for what it is.
      const source = d.fs.realpath(path).startsWith('/Library/Frameworks/') ? 'python.org' : 'Homebrew'
      out.push({ path, source })
    }
  }
  return out
}

/** The python.org installers: one framework version per minor release (and PythonT for free-threaded builds). */
export const locatePythonOrg: Locator = (d) => {
  const out: Candidate[] = []
  for (const framework of ['Python.framework', 'PythonT.framework']) {
    const versions = posix.join('/Library/Frameworks', framework, 'Versions')
    for (const v of matchingChildren(d.fs, versions, /^\d/)) {
      const exe = posix.join(versions, v, 'bin', framework === 'PythonT.framework' ? `python${v}t` : 'python3')
      if (d.fs.exists(exe)) out.push({ path: exe, source: 'python.org' })
    }
  }
  return out
}

export const locateCommandLineTools: Locator = async (d) =>
  (await commandLineToolsInstalled(d)) && d.fs.exists(SYSTEM_PYTHON) ? [{ path: SYSTEM_PYTHON, source: 'Command Line Tools' }] : []

export const macosLocators: Locator[] = [
  locateMacPath,
  locateHomebrew,
  locatePythonOrg,
  locatePyenv,
  locateUv,
  locateConda,
  locatePoetry,
  locatePipenv,
  locateHatch,
  locateCommandLineTools
]
