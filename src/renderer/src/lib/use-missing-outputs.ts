// The files of a run that are gone from disk now, asked of main once per run shown: History lists runs
// from weeks ago whose files may have been moved or deleted since.
import { useEffect, useState } from 'react'
import type { OutputFiles } from '../../../shared/model'
import { call } from '../api'

export function useMissingOutputs(executionId: string | undefined, outputs: OutputFiles): ReadonlySet<string> {
  const [missing, setMissing] = useState<{ key: string; paths: ReadonlySet<string> }>({ key: '', paths: new Set() })
  const key = executionId ? `${executionId}:${outputs.files.length}` : ''
  useEffect(() => {
    if (!executionId) return
    let current = true
    call('executions:missingOutputs', { id: executionId })
      .then((r) => current && setMissing({ key, paths: new Set(r.missing) }))
      // Not knowing is not an error to show: the file is then listed as openable and a click says why not.
      .catch(() => undefined)
    return () => {
      current = false
    }
  }, [executionId, key])
  return missing.key === key ? missing.paths : EMPTY
}

const EMPTY: ReadonlySet<string> = new Set()
