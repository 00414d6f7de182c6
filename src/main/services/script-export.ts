// Exports a workflow's step scripts for reading and running by hand:
// <dir>/workflow_scripts/<workflow_id>/step_<order>_<name>.py, each exactly the step's code.
import { createHash } from 'node:crypto'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workflow } from '../../shared/model'
import { safeFileName, stepFileStem } from './file-names'

export interface ScriptExport {
  folder: string
  files: string[]
}

/**
 * The folder of a workflow's scripts: its id, when that is a safe file name. Otherwise ids that clean up to
 * the same name ("rep/1" and "rep_1") would share one folder and delete each other's scripts, so a short
 * hash of the raw id tells them apart.
 */
export function scriptFolderName(workflowId: string): string {
  const safe = safeFileName(workflowId, 'workflow')
  if (safe === workflowId) return safe
  return `${safe}_${createHash('sha256').update(workflowId).digest('hex').slice(0, 8)}`
}

export async function exportStepScripts(workflow: Workflow, dir: string): Promise<ScriptExport> {
  const folder = join(dir, 'workflow_scripts', scriptFolderName(workflow.id))
  await mkdir(folder, { recursive: true })
  const files = workflow.steps.map((s) => join(folder, `${stepFileStem(s.order, s.name)}.py`))
  // A step renamed or removed since the last export would otherwise leave its old script behind.
  const keep = new Set(files)
  for (const name of await readdir(folder)) {
    const path = join(folder, name)
    if (/^step_\d+_.*\.py$/.test(name) && !keep.has(path)) await rm(path, { force: true })
  }
  await Promise.all(workflow.steps.map((s, i) => writeFile(files[i], s.code, 'utf8')))
  // The packages the scripts need, for `pip install -r requirements.txt` beside them; none: no file.
  const requirements = join(folder, 'requirements.txt')
  if (workflow.requirements.length) {
    await writeFile(requirements, `${workflow.requirements.join('\n')}\n`, 'utf8')
    files.push(requirements)
  } else await rm(requirements, { force: true })
  return { folder, files }
}
