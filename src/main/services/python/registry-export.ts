// The PEP 514 registry read through `reg export` rather than `reg query`: reg query prints in the
// console's code page, where a Korean user name in an install path can come out as question marks,
// while reg export writes a UTF-16LE file that keeps every character.
import { randomUUID } from 'node:crypto'
import { pathOf, type DiscoveryEnv } from './discovery-env'
import { consoleDecoder } from './console-encoding'
import { expandWindowsVars, parseRegQuery, type RegistryTree } from './registry-tree'

const COMMAND_TIMEOUT_MS = 5000

/** A .reg file's bytes as text: UTF-16LE with a byte order mark (what reg export writes), else UTF-8. */
export function decodeRegFile(bytes: Uint8Array): string {
  const utf16 = bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe
  const text = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(bytes)
  return text.replace(/^\uFEFF/, '')
}

function unescapeRegString(body: string): string {
  return body.replace(/\\(.)/g, '$1')
}

/** hex(2):25,00,50,00,... is REG_EXPAND_SZ as UTF-16LE bytes, ended by a NUL character. */
function decodeHexString(hex: string): string {
  const bytes = Uint8Array.from(
    hex
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean)
      .map((b) => parseInt(b, 16))
  )
  return new TextDecoder('utf-16le').decode(bytes).replace(/\0+$/, '')
}

/**
 * Parses the text of a `reg export` file into the same tree `reg query` gives: `[key]` lines, then
 * `"name"="data"` or `@="data"` (the default value) with `\\` and `\"` escaped, and REG_EXPAND_SZ as
 * `hex(2):` bytes that may continue over lines ending in a backslash. Other types are not needed.
 */
export function parseRegExport(text: string, env: NodeJS.ProcessEnv = {}): RegistryTree {
  const tree: RegistryTree = new Map()
  let current: Map<string, string> | null = null
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/)
  for (const line of lines) {
    const key = /^\[(.+)\]\s*$/.exec(line)
    if (key) {
      current = new Map()
      tree.set(key[1], current)
      continue
    }
    const value = /^(@|"((?:[^"\\]|\\.)*)")=(.*)$/.exec(line)
    if (!value || !current) continue
    const name = value[1] === '@' ? '' : unescapeRegString(value[2])
    const data = value[3]
    const str = /^"((?:[^"\\]|\\.)*)"\s*$/.exec(data)
    if (str) current.set(name, unescapeRegString(str[1]))
    else if (data.startsWith('hex(2):')) current.set(name, expandWindowsVars(decodeHexString(data.slice(7)), env))
  }
  return tree
}

/**
 * One hive's Python keys, or null when the hive has none. `reg export` first; where it cannot run or
 * leaves no file (a locked-down machine), `reg query` decoded with the console's code page.
 */
export async function readRegistryKey(d: DiscoveryEnv, root: string): Promise<RegistryTree | null> {
  const file = pathOf('win32').join(d.tempDir, `stepwise-python-${randomUUID()}.reg`)
  try {
    const exported = await d.run('reg', ['export', root, file, '/y'], { timeoutMs: COMMAND_TIMEOUT_MS })
    // Exit code 1 with a file missing is reg's "the key does not exist": no Python registered there.
    if (exported.exitCode === 1) return null
    const bytes = exported.exitCode === 0 ? d.fs.readBytes(file) : null
    if (bytes) return parseRegExport(decodeRegFile(bytes), d.env)
  } finally {
    d.fs.remove(file)
  }
  const queried = await d.run('reg', ['query', root, '/s'], { timeoutMs: COMMAND_TIMEOUT_MS, decode: await consoleDecoder(d) })
  return queried.exitCode === 0 ? parseRegQuery(queried.stdout, d.env) : null
}
