// Temporary folders for one test file; removed at the end (call cleanupTempDirs from afterAll).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const created: string[] = []

/** A fresh folder under the OS temp folder. `prefix` may contain spaces and any letters. */
export function makeTempDir(prefix = 'stepwise-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
}
