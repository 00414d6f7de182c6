// The files a run created or changed in its working folder: the folder's files (names, sizes, times) are
// noted before the run and compared after. Bounded, since a working folder may be a whole drive or a
// network share: the top level and two levels below, at most MAX_ENTRIES entries, symlinks not followed.
import type { Dirent } from 'node:fs'
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { OutputFile, OutputFiles } from '../../../shared/model'

export const MAX_ENTRIES = 2000
const MAX_DEPTH = 2

export interface FolderSnapshot {
  files: Map<string, { size: number; mtimeMs: number }>
  /** More entries than MAX_ENTRIES: files past them were not noted. */
  truncated: boolean
}

export async function snapshotFolder(root: string): Promise<FolderSnapshot> {
  const files: FolderSnapshot['files'] = new Map()
  let entries = 0
  let truncated = false
  const visit = async (dir: string, depth: number): Promise<void> => {
    let list: Dirent[]
    try {
      list = await readdir(dir, { withFileTypes: true })
    } catch {
      return // A folder that cannot be read (permissions, removed meanwhile) is left out.
    }
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of list) {
      if (++entries > MAX_ENTRIES) {
        truncated = true
        return
      }
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await visit(path, depth + 1)
      } else if (entry.isFile()) {
        const info = await lstat(path).catch(() => null)
        if (info) files.set(path, { size: info.size, mtimeMs: info.mtimeMs })
      }
      if (truncated) return
    }
  }
  await visit(root, 0)
  return { files, truncated }
}

/** The files in `after` that are new or whose size or time differ from `before`, newest first. */
export function changedFiles(before: FolderSnapshot, after: FolderSnapshot): OutputFiles {
  const files: OutputFile[] = []
  for (const [path, now] of after.files) {
    const was = before.files.get(path)
    if (was && was.size === now.size && was.mtimeMs === now.mtimeMs) continue
    files.push({ path, size: now.size, modified_at: new Date(now.mtimeMs).toISOString(), change: was ? 'changed' : 'created' })
  }
  files.sort((a, b) => b.modified_at.localeCompare(a.modified_at) || a.path.localeCompare(b.path))
  return { files, truncated: before.truncated || after.truncated }
}
