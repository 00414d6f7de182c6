// pip's lines while a workflow's packages are prepared, into the run area's preparation panel.
import { onEvent } from './api'
import { packagesStore } from './stores/packages-store'

export function listenForPackagePreparation(): () => void {
  return onEvent('env:progress', ({ workflow_id, line }) => packagesStore.getState().line(workflow_id, line))
}
