// Probing an interpreter starts it (~50 ms, seconds behind a virus scanner), and every run asked again
// about the same file. The answer is kept in a small JSON file in the app's data folder and reused while
// the file, and the real executable it named, keep their modification time and size.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { PythonInterpreter } from '../../../shared/model'

interface Entry {
  /** "mtimeMs:size" of the probed path, then of the executable it reported. */
  stamp: string
  executableStamp: string
  interpreter: PythonInterpreter
  prefix: string
}

type CacheFile = Record<string, Entry>

export interface CachedInterpreter {
  interpreter: PythonInterpreter
  prefix: string
}

/** "mtimeMs:size", or null when the path cannot be read (gone, or a bare name found on PATH). */
export function fileStamp(path: string): string | null {
  try {
    const s = statSync(path)
    return s.isFile() ? `${s.mtimeMs}:${s.size}` : null
  } catch {
    return null
  }
}

export class ProbeCache {
  private entries: CacheFile | null = null

  constructor(readonly file: string) {}

  get(path: string): CachedInterpreter | null {
    const stamp = fileStamp(path)
    if (!stamp) return null
    const entry = this.load()[path]
    // The executable's own stamp too: a launcher or shim keeps its mtime when what it points to changes.
    if (!entry || entry.stamp !== stamp || fileStamp(entry.interpreter.path) !== entry.executableStamp) return null
    return { interpreter: entry.interpreter, prefix: entry.prefix }
  }

  set(path: string, value: CachedInterpreter): void {
    const stamp = fileStamp(path)
    const executableStamp = fileStamp(value.interpreter.path)
    if (!stamp || !executableStamp) return
    const entries = this.load()
    entries[path] = { stamp, executableStamp, interpreter: value.interpreter, prefix: value.prefix }
    // Written whole to a side file and renamed, so a crash or a second instance never leaves half a file.
    try {
      mkdirSync(dirname(this.file), { recursive: true })
      const temp = `${this.file}.${process.pid}.tmp`
      writeFileSync(temp, JSON.stringify(entries), 'utf8')
      renameSync(temp, this.file)
    } catch {
      // A read-only data folder only costs the next run a probe.
    }
  }

  private load(): CacheFile {
    if (this.entries) return this.entries
    let parsed: unknown = null
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch {
      // Missing or damaged: start empty; it is only a cache.
    }
    this.entries = isCacheFile(parsed) ? parsed : {}
    return this.entries
  }
}

function isCacheFile(value: unknown): value is CacheFile {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false
  return Object.values(value).every((e: Partial<Entry> | null) => {
    const i = e?.interpreter
    return (
      typeof e?.stamp === 'string' &&
      typeof e.executableStamp === 'string' &&
      typeof e.prefix === 'string' &&
      !!i &&
      typeof i.path === 'string' &&
      typeof i.version === 'string' &&
      typeof i.architecture === 'string' &&
      typeof i.source === 'string'
    )
  })
}
