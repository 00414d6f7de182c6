// The codes of the services' refusals beyond the first hour's (secrets, schedules and folder triggers,
// packages, runs that reuse a past run, files the window opens): kept apart from error-messages.ts so that
// each family reads as one list. Parameters are the names, paths and numbers the sentence needs, as text.

export interface SecretErrorParams {
  /** No OS credential store here and no STEPWISE_SECRET_KEY; the detail is the store's own reason. */
  secretsNoStore: { file: string; variable: string }
  /** The encrypted file exists but the key variable is not set. */
  secretsFileNeedsKey: { file: string; variable: string }
  secretsKeyTooShort: { variable: string; min: string }
  /** The file is not Stepwise's secrets file (damaged, or another file); the detail is the parser's reason. */
  secretsFileUnreadable: { file: string }
  secretsWrongKey: { file: string; variable: string }
  secretNameEmpty: Record<string, never>
  secretNameTooLong: { max: string; length: string }
  secretNameInvalid: { name: string }
  secretNameReserved: { name: string }
  secretValueEmpty: { name: string }
  secretValueTooLong: { name: string; max: string }
  secretValueNul: { name: string }
  /** A run needs secrets that are not set: `secrets` and `env` are comma-separated lists. */
  secretsMissing: { workflow: string; secrets: string; env: string }
  secretsNoRunnerStore: { workflow: string; secrets: string }
}

export interface ScheduleErrorParams {
  cronFieldCount: { cron: string; count: string }
  /** croner refused it; the detail is croner's own reason. */
  cronInvalid: { cron: string }
  cronNeverRuns: { cron: string }
  unknownTimeZone: { tz: string }
  presetMinute: { value: string }
  presetHour: { value: string }
  presetEveryMinutes: { value: string }
  scheduleNotFound: { id: string }
  triggerNotFound: { id: string }
  scheduleOptionInvalid: { option: string; value: string; allowed: string }
  folderEmpty: Record<string, never>
  folderMissing: { folder: string }
  folderIsFile: { folder: string }
  folderNotReadable: { folder: string }
  triggerEventUnknown: { event: string }
  patternEmpty: Record<string, never>
  patternHasSeparator: { pattern: string }
  patternUnclosed: { pattern: string; open: string; close: string }
  patternNestedBraces: { pattern: string }
  osSchedulerZone: { tz: string; local: string }
  /** The cron cannot be handed to Task Scheduler or launchd; the detail says which part. */
  osSchedulerUnsupported: { cron: string }
  /** schtasks / launchctl / systemctl failed; the detail is the tool's own output. */
  osSchedulerFailed: { command: string; exit: string }
}

export interface PackageErrorParams {
  packagesNoNetwork: Record<string, never>
  packagesOfflineNoWheels: Record<string, never>
  packageHashMismatch: Record<string, never>
  packageNoWheel: { wheel: string; python: string }
  /** `where`: the index addresses and wheel folder that were searched, comma-separated. */
  packageVersionNotFound: { name: string; where: string; versions: string }
  packageNotFound: { name: string; where: string }
  packageNotFoundNowhere: { name: string }
  packageBuildFailed: Record<string, never>
  /** Nothing recognisable; the detail is pip's last error line as pip wrote it. */
  packageInstallFailed: Record<string, never>
  venvCreateFailed: { python: string }
  packagesNoPlace: { workflow: string }
}

export interface RunErrorParams {
  notRunOfWorkflow: { id: string; workflow: string }
  notAStep: { step: string; workflow: string; steps: string }
  fromAndOnly: Record<string, never>
  replayNoStep: { id: string; step: string }
  replayNeverStarted: { step: string }
  replayStepGone: { step: string; workflow: string }
  debugNoStep: { step: string; workflow: string }
  debugNotRunOf: { workflow: string }
  debugNeverStarted: { step: string }
  debugSessionEnded: Record<string, never>
  debugStepRunning: Record<string, never>
}

export interface FileErrorParams {
  fileGone: { path: string }
  noKeptScript: Record<string, never>
  forbiddenPath: { path: string }
  unsafeScript: { path: string }
  unsafeNotFile: { path: string }
  unsafeNoExtension: { path: string }
  unsafeExecutable: { path: string }
  noTextEditor: { file: string }
  editorFailed: { editor: string }
  /** The OS's open verb failed; the detail is the OS's reason. */
  osOpenFailed: { path: string }
}

/** What the engine and the unattended runner recorded (English in SQLite), read back by recorded-error-text.ts. */
export interface RecordedErrorParams {
  stepExitCode: { code: string }
  stepExitCodeSilent: { code: string }
  stepKilledBySignal: { signal: string }
  stepTimedOut: { seconds: string }
  stepStopped: Record<string, never>
  stepCancelledBeforeStart: Record<string, never>
  stepCouldNotStart: { python: string; folder: string }
  stepRetryStopped: { attempt: string }
  stepOutputCut: Record<string, never>
  stepOutputTooBig: { limit: string }
  stepFilesFailed: { folder: string }
  /** A run's error: the step and its own error, said in turn (`reason` is filled with the step's sentence). */
  runStepFailed: { step: string; reason: string }
  runStepCouldNotStart: { step: string }
  runCouldNotRun: Record<string, never>
  scheduleSkipped: { at: string }
  scheduleCouldNotStart: Record<string, never>
  scheduleError: Record<string, never>
  triggerWaitsForFolder: { folder: string }
}

export type ServiceErrorParams = SecretErrorParams &
  ScheduleErrorParams &
  PackageErrorParams &
  RunErrorParams &
  FileErrorParams &
  RecordedErrorParams
