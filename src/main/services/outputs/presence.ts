// Which of a past run's files are gone from disk now: a History run from last month may list files the
// person has since moved or deleted, and those are shown as gone rather than failing when clicked.
import { stat } from 'node:fs/promises'
import type { OutputFiles } from '../../../shared/model'

/** The recorded paths that no longer exist as files (a folder now standing at the path counts as gone). */
export async function missingOutputs(outputs: OutputFiles | null): Promise<string[]> {
  if (!outputs) return []
  const found = await Promise.all(
    outputs.files.map((f) =>
      stat(f.path).then(
        (s) => s.isFile(),
        () => false
      )
    )
  )
  return outputs.files.filter((_, i) => !found[i]).map((f) => f.path)
}
