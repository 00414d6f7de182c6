// Exports a workflow's step scripts for reading and running by hand:
// <dir>/workflow_scripts/<workflow_id>/step_<order>_<name>.py, each exactly the step's code.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workflow } from '../../shared/model'
import { safeFileName, stepFileStem } from './file-names'

export interface ScriptExport {
  folder: string
  files: string[]
}

export async function exportStepScripts(workflow: Workflow, dir: string): Promise<ScriptExport> {
  const folder = join(dir, 'workflow_scripts', safeFileName(workflow.id, 'workflow'))
  await mkdir(folder, { recursive: true })
  const files = workflow.steps.map((s) => join(folder, `${stepFileStem(s.order, s.name)}.py`))
  // A step renamed or removed since the last export would otherwise leave its old script behind.
  const keep = new Set(files)
  for (const name of await readdir(folder)) {
    const path = join(folder, name)
    if (/^step_\d+_.*\.py$/.test(name) && !keep.has(path)) await rm(path, { force: true })
  }
  await Promise.all(workflow.steps.map((s, i) => writeFile(files[i], s.code, 'utf8')))
  return { folder, files }
}
