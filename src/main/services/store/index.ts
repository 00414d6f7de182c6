// The SQLite store: workflows, their steps, executions, per-step runs and settings. One class over the
// table modules, so callers hold one object and the tables stay in files of their own.
import type Database from 'better-sqlite3'
import type { TextMap } from '../../../shared/json-text'
import type {
  Execution,
  ExecutionStatus,
  ExecutionSummary,
  ExecutionTrigger,
  OutputFiles,
  Settings,
  Step,
  StepAttempt,
  Workflow,
  WorkflowSummary
} from '../../../shared/model'
import { openDatabase } from './connection'
import * as executions from './executions'
import * as settings from './settings'
import * as workflows from './workflows'

export { NotFoundError } from './connection'
export type { ExecutionTexts, InterruptedRun, NewExecution, StepRunUpdate } from './executions'

export class Store {
  readonly db: Database.Database
  /** The runs this open found dead and marked INTERRUPTED: their processes and temp folders are to be ended. */
  readonly interruptedAtOpen: executions.InterruptedRun[] = []

  /** `startTimeOf` tells a dead runner from a later process with its pid; without it only the pid is checked. */
  constructor(
    readonly path: string,
    private readonly startTimeOf?: executions.StartTimeOf
  ) {
    this.db = openDatabase(path, (db) => {
      for (const run of executions.markInterrupted(db, startTimeOf)) this.interruptedAtOpen.push(run)
    })
  }

  close(): void {
    this.db.close()
  }

  markInterrupted(): number {
    const found = executions.markInterrupted(this.db, this.startTimeOf)
    for (const run of found) this.interruptedAtOpen.push(run)
    return found.length
  }

  noteStepProcessEnded(executionId: string, stepId: string, note: string): void {
    executions.noteStepProcessEnded(this.db, executionId, stepId, note)
  }

  recordStepProcess(executionId: string, stepId: string, pid: number, startedAt: string | null): void {
    executions.recordStepProcess(this.db, executionId, stepId, pid, startedAt)
  }

  setTempDir(executionId: string, tempDir: string): void {
    executions.setTempDir(this.db, executionId, tempDir)
  }

  listWorkflows(query?: string): WorkflowSummary[] {
    return workflows.listWorkflows(this.db, query)
  }

  getWorkflow(id: string): Workflow {
    return workflows.getWorkflow(this.db, id)
  }

  hasWorkflow(id: string): boolean {
    return workflows.hasWorkflow(this.db, id)
  }

  saveWorkflow(input: workflows.WorkflowInput): Workflow {
    return workflows.saveWorkflow(this.db, input)
  }

  getSourceHash(id: string): string | null {
    return workflows.getSourceHash(this.db, id)
  }

  setSourceHash(id: string, hash: string | null): void {
    workflows.setSourceHash(this.db, id, hash)
  }

  renameWorkflow(id: string, name: string): Workflow {
    return workflows.renameWorkflow(this.db, id, name)
  }

  deleteWorkflow(id: string): boolean {
    return workflows.deleteWorkflow(this.db, id)
  }

  createExecution(input: executions.NewExecution): string {
    return executions.createExecution(this.db, input)
  }

  updateStepRun(executionId: string, stepId: string, update: executions.StepRunUpdate): void {
    executions.updateStepRun(this.db, executionId, stepId, update)
  }

  markSkipped(executionId: string, stepIds: string[]): void {
    executions.markSkipped(this.db, executionId, stepIds)
  }

  addHandlerStepRuns(executionId: string, steps: Step[]): void {
    executions.addHandlerStepRuns(this.db, executionId, steps)
  }

  recordAttempt(executionId: string, stepId: string, attempt: StepAttempt): void {
    executions.recordAttempt(this.db, executionId, stepId, attempt)
  }

  latestSuccessfulExecution(workflowId: string): string | null {
    return executions.latestSuccessfulExecution(this.db, workflowId)
  }

  appendStepLogs(executionId: string, stepId: string, text: string): void {
    executions.appendStepLogs(this.db, executionId, stepId, text)
  }

  setOutputFiles(executionId: string, outputs: OutputFiles): void {
    executions.setOutputFiles(this.db, executionId, outputs)
  }

  finishExecution(executionId: string, status: ExecutionStatus, state: { error: string | null; skipped: string[] }): string {
    return executions.finishExecution(this.db, executionId, status, state)
  }

  markExecutionFailed(executionId: string, error: string): void {
    executions.markExecutionFailed(this.db, executionId, error)
  }

  listExecutions(workflowId?: string, limit = 500, trigger?: ExecutionTrigger): ExecutionSummary[] {
    return executions.listExecutions(this.db, workflowId, limit, trigger)
  }

  executionsByIdPrefix(prefix: string): { id: string; status: ExecutionStatus; debug: boolean }[] {
    return executions.executionsByIdPrefix(this.db, prefix)
  }

  getExecution(id: string): Execution {
    return executions.getExecution(this.db, id)
  }

  /** The texts a step of a past run was handed, exactly as recorded; null when it never started. */
  stepInputTexts(executionId: string, stepId: string): TextMap | null {
    return executions.stepInputTexts(this.db, executionId, stepId)
  }

  /** A run's values as the recorded texts (parsed nowhere), for output that must keep them exact. */
  initialVariableTexts(id: string): TextMap {
    return executions.initialVariableTexts(this.db, id)
  }

  executionTexts(id: string): executions.ExecutionTexts {
    return executions.executionTexts(this.db, id)
  }

  tempFoldersOf(ids: string[]): { id: string; tempDir: string }[] {
    return executions.tempFoldersOf(this.db, ids)
  }

  executionsStartedBefore(cutoff: string): string[] {
    return executions.executionsStartedBefore(this.db, cutoff)
  }

  deleteExecutions(ids: string[]): number {
    return executions.deleteExecutions(this.db, ids)
  }

  missingExecutions(ids: string[]): string[] {
    return executions.missingExecutions(this.db, ids)
  }

  isRecordedPath(path: string, as: 'kept-file' | 'run-folder' | 'output-file'): boolean {
    return executions.isRecordedPath(this.db, path, as)
  }

  getSettings(): Settings {
    return settings.getSettings(this.db)
  }

  updateSettings(patch: Partial<Settings>): Settings {
    return settings.updateSettings(this.db, patch)
  }
}
