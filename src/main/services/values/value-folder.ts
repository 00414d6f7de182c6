// Where values too big for the database live: `<database name>-values/<execution id>/` beside the
// database file (`stepwise-values/` for stepwise.db), one folder per run, so that deleting a run (or
// trimming the history) takes its values with it. Named after the database: two databases in one folder
// never take each other's values for orphans. A stored reference is relative to that root, so the data
// folder can be moved or restored from a backup whole.
import { copyFileSync, existsSync, linkSync, mkdirSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, relative, sep } from 'node:path'
import type { FileText, TextMap } from '../../../shared/json-text'
import { fileText } from './file-text'

export const valuesRoot = (dbPath: string): string => join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}-values`)

export const runValuesFolder = (dbPath: string, executionId: string): string => join(valuesRoot(dbPath), executionId)

/** How a value's file is recorded: relative to the root when under it (it always is for a run's outputs). */
export function storedReference(dbPath: string, text: FileText): string {
  const rel = relative(valuesRoot(dbPath), text.file)
  const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : text.file
  return JSON.stringify({ file, start: text.start, end: text.end, ascii: text.ascii, strict: text.strict })
}

/** The recorded reference read back as a text of its file. */
export function referencedText(dbPath: string, stored: string): FileText {
  const r = JSON.parse(stored) as { file: string; start: number; end: number; ascii: boolean; strict: boolean }
  const file = isAbsolute(r.file) ? r.file : join(valuesRoot(dbPath), ...r.file.split('/'))
  return fileText(file, r)
}

/**
 * A value of another run (a replay's inputs, a resumed run's reused outputs) linked into this run's folder:
 * deleting that run then leaves this one whole. A hard link costs no space; where there is none (another
 * volume, FAT), the file is copied.
 */
export function adoptText(dbPath: string, executionId: string, text: FileText): FileText {
  if (dbPath === ':memory:') return text
  const folder = runValuesFolder(dbPath, executionId)
  if (dirname(text.file) === folder) return text
  mkdirSync(folder, { recursive: true })
  const target = join(folder, basename(text.file))
  if (!existsSync(target)) {
    try {
      linkSync(text.file, target)
    } catch {
      copyFileSync(text.file, target)
    }
  }
  return { ...text, file: target }
}

/** adoptText of each text kept in a file; the others as they are. */
export function adoptTexts(dbPath: string, executionId: string, texts: TextMap): TextMap {
  const out: TextMap = new Map()
  for (const [name, text] of texts) out.set(name, text.file === undefined ? text : adoptText(dbPath, executionId, text))
  return out
}

/** Removes deleted runs' value folders; a folder held open (a scanner) is left for the next delete. */
export async function removeRunValues(dbPath: string, executionIds: string[]): Promise<number> {
  let removed = 0
  for (const id of executionIds) {
    // An id is the runner's own UUID; anything else must never turn into a path outside the root.
    if (!/^[0-9a-f-]{8,64}$/i.test(id)) continue
    try {
      await rm(runValuesFolder(dbPath, id), { recursive: true, force: true })
      removed++
    } catch {
      // Held open: the run is gone all the same.
    }
  }
  return removed
}

/**
 * Removes the value folders of runs that are no longer recorded (their workflow was deleted, which takes
 * its runs with it). Folders of runs still recorded, and anything not named like a run, stay.
 */
export async function removeOrphanValues(dbPath: string, missing: (ids: string[]) => string[]): Promise<number> {
  if (dbPath === ':memory:') return 0
  const names = await readdir(valuesRoot(dbPath)).catch(() => [] as string[])
  const runs = names.filter((n) => /^[0-9a-f-]{36}$/i.test(n))
  return runs.length ? removeRunValues(dbPath, missing(runs)) : 0
}
