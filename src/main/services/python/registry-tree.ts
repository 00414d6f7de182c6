// The PEP 514 registry entries as a tree of keys and values, whichever way they were read (reg export or
// reg query), and the interpreters they register.
import { compareVersionNamesDesc, envVar, pathOf } from './discovery-env'

const win = pathOf('win32')

export type RegistryTree = Map<string, Map<string, string>>

/** The value name `reg query` prints for a key's default value, in any UI language: "(Default)", "(기본값)", "(Standard)". */
const DEFAULT_VALUE_NAME = /^\(.+\)$/

/**
 * Parses `reg query <key> /s`: a key path on its own line, then its values indented by four spaces as
 * `name    REG_TYPE    data`. The default value is stored under ''. REG_EXPAND_SZ data is expanded.
 */
export function parseRegQuery(stdout: string, env: NodeJS.ProcessEnv = {}): RegistryTree {
  const tree: RegistryTree = new Map()
  let current: Map<string, string> | null = null
  for (const line of stdout.split(/\r?\n/)) {
    if (/^HKEY_/i.test(line)) {
      current = new Map()
      tree.set(line.trim(), current)
      continue
    }
    const m = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line)
    if (!m || !current) continue
    const [, rawName, type, rawData = ''] = m
    const name = DEFAULT_VALUE_NAME.test(rawName) ? '' : rawName
    const data = type === 'REG_EXPAND_SZ' ? expandWindowsVars(rawData, env) : rawData
    current.set(name, data.trimEnd())
  }
  return tree
}

export function expandWindowsVars(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/%([^%]+)%/g, (whole, name: string) => envVar(env, name, 'win32') ?? whole)
}

/** The hives PEP 514 defines, in the order it says to search them. */
export const PEP514_ROOTS = [
  'HKEY_CURRENT_USER\\Software\\Python',
  'HKEY_LOCAL_MACHINE\\Software\\Python',
  'HKEY_LOCAL_MACHINE\\Software\\WOW6432Node\\Python'
] as const

/** Executables registered under one hive: `<root>\<Company>\<Tag>\InstallPath`, ExecutablePath preferred. */
export function registryExecutables(tree: RegistryTree, root: string): string[] {
  const tags: { company: string; tag: string; exe: string }[] = []
  const prefix = `${root.toLowerCase()}\\`
  for (const [key, values] of tree) {
    if (!key.toLowerCase().startsWith(prefix)) continue
    const parts = key.slice(prefix.length).split('\\')
    if (parts.length !== 3 || parts[2].toLowerCase() !== 'installpath') continue
    const [company, tag] = parts
    // PEP 514 reserves PyLauncher for the launcher itself; it is not an interpreter.
    if (company.toLowerCase() === 'pylauncher') continue
    const exe = values.get('ExecutablePath') || (values.get('') ? win.join(values.get('')!, 'python.exe') : '')
    if (exe) tags.push({ company, tag, exe })
  }
  // PythonCore (python.org) before other distributions, newest version first within a company.
  tags.sort((a, b) => {
    const core = Number(b.company === 'PythonCore') - Number(a.company === 'PythonCore')
    if (core) return core
    if (a.company !== b.company) return a.company.localeCompare(b.company)
    return compareVersionNamesDesc(a.tag, b.tag)
  })
  return tags.map((t) => t.exe)
}
