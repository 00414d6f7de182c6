// The engine room: plans a workflow's steps, runs each step's Python, records the run. Callers import from here.
export { dependencyGraph } from '../../../shared/run-graph'
export { applyOutputMapping, buildStepInputs, type EngineState } from './inputs'
export {
  runWorkflowSteps,
  type EngineHooks,
  type EngineOptions,
  type EngineResult,
  type EngineStepResult,
  type StepChange
} from './scheduler'
export { runPythonStep, type StepOutcome, type StepRunRequest, type StepRunResult } from './step-process'
export { parseOutput, writeVariablesFile, type StepOutput } from './output'
export { killProcessTree, parseProcStat, windowsTreeKillCommand, type KillTreeOptions, type ProcessEntry } from './process-tree'
export { RunInputError, WorkflowRunner, type RunOptions, type RunnerEvent, type RunnerListener, type StartedRun } from './runner'
export { endOrphanedSteps, sweepInterruptedTempFolders } from './orphans'
export { processStartTime, processStartTimeNow, procStartTicks } from './process-identity'
