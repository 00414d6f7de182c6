// The one-click fix of a missing module: the package goes into the workflow's packages through the draft
// (so the editor shows it and nothing typed is lost), the workflow is saved, and the failed run resumes
// from the failed step, its packages prepared first.
import { isRunning, saveDraft } from './app-actions'
import { resumeRun } from './run-control-actions'
import { draftStore } from './stores/draft-store'
import { runsStore } from './stores/runs-store'

export async function addPackageAndResume(executionId: string, pkg: string): Promise<void> {
  if (!draftStore.getState().draft || isRunning() || runsStore.getState().starting) return
  draftStore.getState().addRequirement(pkg)
  if (!(await saveDraft())) return
  await resumeRun(executionId)
}
