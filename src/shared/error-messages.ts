// The refusals a person meets in the first hour, as a code and its parameters rather than an English
// sentence: main attaches one to the errors it throws, the IPC result carries it, and the window says it in
// the person's language. The CLI keeps printing the English message the error was made with.

import type { ServiceErrorParams } from './service-error-params'

/** Each code's parameters: names, paths and ids the sentence needs, never anything secret. */
export interface ErrorMessageParams extends ServiceErrorParams {
  noPython: Record<string, never>
  pythonChosenMissing: { path: string }
  pythonChosenBroken: { path: string }
  workingFolderNotFullPath: { folder: string }
  workingFolderMissing: { folder: string }
  alreadyRunning: { workflow: string }
  noSteps: { workflow: string }
  workflowNotFound: { id: string }
  executionNotFound: { id: string }
  invalidWorkflowFile: { file: string }
  stillRunning: { id: string }
  nothingToResume: { id: string }
  replayNotResumable: { id: string }
  noSuccessfulRun: { workflow: string; step: string }
  deleteWhileRunning: Record<string, never>
  updateWhileRunning: Record<string, never>
}

export type ErrorMessageCode = keyof ErrorMessageParams

/** A translatable error: its code, its parameters, and untranslated detail lines (a file's problems, Python's own words). */
export type ErrorMessage = {
  [C in ErrorMessageCode]: { code: C; params: ErrorMessageParams[C]; detail?: string }
}[ErrorMessageCode]

/** An error that carries its translatable form; any Error class of the services may have one. */
export interface ExplainedError {
  explanation?: ErrorMessage
}

export function errorMessage<C extends ErrorMessageCode>(code: C, params: ErrorMessageParams[C], detail?: string): ErrorMessage {
  return { code, params, ...(detail ? { detail } : {}) } as ErrorMessage
}

/** An error's explanation as the fields a result or an IpcError carries to the window (none when it has none). */
export function explanationFields(err: unknown): { key?: ErrorMessageCode; params?: Record<string, string>; detail?: string } {
  const e = explanationOf(err)
  if (!e) return {}
  return { key: e.code, params: e.params as Record<string, string>, ...(e.detail ? { detail: e.detail } : {}) }
}

/** The explanation an error carries, if any (errors cross module and realm borders, so this does not use instanceof). */
export function explanationOf(err: unknown): ErrorMessage | undefined {
  const e = (err as ExplainedError | null | undefined)?.explanation
  return e && typeof e === 'object' && typeof e.code === 'string' ? e : undefined
}
