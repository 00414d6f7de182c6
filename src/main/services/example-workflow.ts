// The example a new user can open from the first screen: the repository's examples/fetch-process-save.json,
// built into main (the installers ship no examples folder) and imported like any workflow file, so it is
// validated the same way and gets "(2)" when it was opened before.
import exampleText from '../../../examples/fetch-process-save.json?raw'
import type { Workflow } from '../../shared/model'
import { uniqueName } from '../../shared/unique-name'
import type { Store } from './store'
import { parseWorkflowText } from './workflow-file'

export function openExampleWorkflow(store: Store): Workflow {
  const input = parseWorkflowText(exampleText, 'fetch-process-save.json')
  const id = input.id && !store.hasWorkflow(input.id) ? input.id : undefined
  const name = uniqueName(
    input.name,
    store.listWorkflows().map((w) => w.name)
  )
  return store.saveWorkflow({ ...input, id, name })
}
