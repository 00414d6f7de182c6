// The working folder's own .venv, which a run uses unless the workflow names an interpreter: asked of the
// main process whenever the folder changes, so the workflow's settings say which Python will really run.
import { useEffect, useState } from 'react'
import type { PythonInterpreter } from '../../../shared/model'
import { call } from '../api'

export function useProjectPython(workingDirectory: string | null): PythonInterpreter | null {
  const [found, setFound] = useState<{ dir: string; python: PythonInterpreter | null } | null>(null)
  useEffect(() => {
    if (!workingDirectory) return
    let current = true
    call('python:project', { working_directory: workingDirectory }).then(
      (python) => current && setFound({ dir: workingDirectory, python }),
      // A folder that cannot be looked into has no environment to show; the run says what is wrong with it.
      () => current && setFound({ dir: workingDirectory, python: null })
    )
    return () => {
      current = false
    }
  }, [workingDirectory])
  return found && found.dir === workingDirectory ? found.python : null
}
