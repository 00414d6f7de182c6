// The services' refusals reach the window as a code and its parameters, and every code has an English and a
// Korean sentence that use exactly those parameters: secrets, schedules and folder triggers, the OS
// scheduler, partial runs and the files the window opens. Real SQLite files, real folders, real Python.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ErrorMessageParams } from '../src/shared/error-messages'
import type { ServiceErrorParams } from '../src/shared/service-error-params'
import { en } from '../src/renderer/src/i18n/en'
import { ko } from '../src/renderer/src/i18n/ko'
import { translate } from '../src/renderer/src/i18n'
import { errorKeyOf, errorSentence } from '../src/renderer/src/lib/error-text'
import { ApiError } from '../src/renderer/src/api'
import { ipcError } from '../src/main/services/request-handlers'
import { SecretStore } from '../src/main/services/secrets'
import { WorkflowRunner } from '../src/main/services/engine'
import { addTrigger, checkCron } from '../src/main/services/schedule'
import { globToRegExp } from '../src/main/services/schedule/glob'
import { createScheduleHandlers } from '../src/main/services/schedule/schedule-handlers'
import { definition, register } from '../src/main/services/schedule/os-registration'
import { assertSafeToOpen } from '../src/main/services/os-open-guard'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { emit, openRealServices, py, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

// One example of each service code's parameters; the type makes a code left out of this table a compile error.
const SAMPLES: { [C in keyof ServiceErrorParams]: ErrorMessageParams[C] } = {
  secretsNoStore: { file: '/x/secrets.enc', variable: 'STEPWISE_SECRET_KEY' },
  secretsFileNeedsKey: { file: '/x/secrets.enc', variable: 'STEPWISE_SECRET_KEY' },
  secretsKeyTooShort: { variable: 'STEPWISE_SECRET_KEY', min: '16' },
  secretsFileUnreadable: { file: '/x/secrets.enc' },
  secretsWrongKey: { file: '/x/secrets.enc', variable: 'STEPWISE_SECRET_KEY' },
  secretNameEmpty: {},
  secretNameTooLong: { max: '200', length: '201' },
  secretNameInvalid: { name: '1X' },
  secretNameReserved: { name: '__proto__' },
  secretValueEmpty: { name: 'TOKEN' },
  secretValueTooLong: { name: 'TOKEN', max: '32,767' },
  secretValueNul: { name: 'TOKEN' },
  secretsMissing: { workflow: '일일 보고', secrets: 'API_TOKEN', env: 'TOKEN' },
  secretsNoRunnerStore: { workflow: 'w', secrets: 'API_TOKEN' },
  cronFieldCount: { cron: '0 9 * *', count: '4' },
  cronInvalid: { cron: '0 99 * * *' },
  cronNeverRuns: { cron: '0 0 31 2 *' },
  unknownTimeZone: { tz: 'Mars/Base' },
  presetMinute: { value: '61' },
  presetHour: { value: '25' },
  presetEveryMinutes: { value: '7' },
  scheduleNotFound: { id: 'abc' },
  triggerNotFound: { id: 'abc' },
  scheduleOptionInvalid: { option: 'overlap', value: 'x', allowed: 'skip, queue, allow' },
  folderEmpty: {},
  folderMissing: { folder: 'C:\\보고서' },
  folderIsFile: { folder: '/x/a.csv' },
  folderNotReadable: { folder: '/root' },
  triggerEventUnknown: { event: 'delete' },
  patternEmpty: {},
  patternHasSeparator: { pattern: 'a/*.csv' },
  patternUnclosed: { pattern: '[a', open: '[', close: ']' },
  patternNestedBraces: { pattern: '{a,{b,c}}' },
  osSchedulerZone: { tz: 'Asia/Seoul', local: 'UTC' },
  osSchedulerUnsupported: { cron: '0 9 1 * 1' },
  osSchedulerFailed: { command: 'schtasks /Create', exit: '1' },
  packagesNoNetwork: {},
  packagesOfflineNoWheels: {},
  packageHashMismatch: {},
  packageNoWheel: { wheel: 'a-1.0-cp312-win_amd64.whl', python: 'Python 3.11' },
  packageVersionNotFound: { name: 'pandas==9', where: 'https://pypi.org/simple', versions: '2.2.0, 2.2.1' },
  packageNotFound: { name: 'nope', where: '/wheels' },
  packageNotFoundNowhere: { name: 'nope' },
  packageBuildFailed: {},
  packageInstallFailed: {},
  venvCreateFailed: { python: '/usr/bin/python3' },
  packagesNoPlace: { workflow: 'w' },
  notRunOfWorkflow: { id: 'abcd1234', workflow: 'w' },
  notAStep: { step: 'X', workflow: 'w', steps: 'A (step-0)' },
  fromAndOnly: {},
  replayNoStep: { id: 'abcd1234', step: 'X' },
  replayNeverStarted: { step: 'X' },
  replayStepGone: { step: 'X', workflow: 'w' },
  debugNoStep: { step: 'X', workflow: 'w' },
  debugNotRunOf: { workflow: 'w' },
  debugNeverStarted: { step: 'X' },
  debugSessionEnded: {},
  debugStepRunning: {},
  fileGone: { path: '/x/a.txt' },
  noKeptScript: {},
  forbiddenPath: { path: '/etc/passwd' },
  unsafeScript: { path: '/x/a.py' },
  unsafeNotFile: { path: '/x/dir' },
  unsafeNoExtension: { path: '/x/a' },
  unsafeExecutable: { path: '/x/a.txt' },
  noTextEditor: { file: '/x/a.py' },
  editorFailed: { editor: 'VS Code' },
  osOpenFailed: { path: '/x/report.xlsx' },
  stepExitCode: { code: '1' },
  stepExitCodeSilent: { code: '4' },
  stepKilledBySignal: { signal: 'SIGKILL' },
  stepTimedOut: { seconds: '0.5' },
  stepStopped: {},
  stepCancelledBeforeStart: {},
  stepCouldNotStart: { python: '/x/python', folder: '/x' },
  stepRetryStopped: { attempt: '2' },
  stepOutputCut: {},
  stepOutputTooBig: { limit: '512 MB' },
  stepFilesFailed: { folder: '/x/steps' },
  runStepFailed: { step: '읽기', reason: '사용자가 중지했습니다.' },
  runStepCouldNotStart: { step: '읽기' },
  runCouldNotRun: {},
  scheduleSkipped: { at: '2026-12-02T09:00:00.000Z' },
  scheduleCouldNotStart: {},
  scheduleError: {},
  triggerWaitsForFolder: { folder: '/x/in' }
}

describe('every service code has an English and a Korean sentence with its parameters', () => {
  it.each(Object.entries(SAMPLES))('%s', (code, params) => {
    const key = errorKeyOf(code)
    expect(key, code).not.toBeNull()
    const said = [...new Set(placeholders(en[key!]))]
    // Both languages say the same parameters, each one the code carries (an id only the CLI prints may go unsaid).
    expect([...new Set(placeholders(ko[key!]))], 'ko').toEqual(said)
    for (const name of said) expect(Object.keys(params), name).toContain(name)
    const korean = translate('ko', key!, params)
    expect(korean).toMatch(/[가-힣]/)
    for (const name of said) expect(korean).toContain((params as Record<string, string>)[name])
    expect(translate('en', key!, params)).not.toMatch(/\{\w+\}/)
    expect(korean).not.toMatch(/\{\w+\}/)
  })
})

describe('the window says a coded error in its language, with the untranslated detail after it', () => {
  it('a refused folder trigger, and an error that came without a code', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('ko', key, params)
    const refused = new ApiError('INVALID_INPUT', 'The folder "/x/in" does not exist…', 'triggers:add', undefined, {
      key: 'folderMissing',
      params: { folder: '/x/in' }
    })
    expect(errorSentence(refused, t)).toBe('폴더 “/x/in”이(가) 없습니다(삭제되었거나 이름이 바뀌었거나 드라이브가 연결되어 있지 않습니다).')
    const cron = new ApiError('INVALID_INPUT', 'Invalid cron', 'schedules:add', undefined, {
      key: 'cronInvalid',
      params: { cron: '0 99 * * *' },
      detail: 'Invalid value for hours'
    })
    expect(errorSentence(cron, t)).toBe('cron “0 99 * * *”이(가) 올바르지 않습니다: Invalid value for hours')
    expect(errorSentence(new Error('plain English'), t)).toBe('plain English')
  })
})

describe('the services throw the coded error', () => {
  it('secrets: a bad name, a key too short, a wrong key, a file that is not the secrets file', async () => {
    const dir = makeTempDir('stepwise-errko-')
    const db = join(dir, 'stepwise.db')
    const secrets = new SecretStore(db, { env: { STEPWISE_SECRET_KEY: 'errors-ko-test-key-0123456789' } })
    expect(ipcError(await secrets.set('1BAD', 'v').catch((e: unknown) => e))).toMatchObject({
      code: 'INVALID_INPUT',
      key: 'secretNameInvalid',
      params: { name: '1BAD' }
    })
    expect(ipcError(await secrets.set('TOKEN', '').catch((e: unknown) => e))).toMatchObject({
      key: 'secretValueEmpty',
      params: { name: 'TOKEN' }
    })
    await secrets.set('TOKEN', 'value')
    const file = join(dir, 'secrets.enc')
    const short = new SecretStore(db, { env: { STEPWISE_SECRET_KEY: 'short' } })
    expect(ipcError(await short.list().catch((e: unknown) => e))).toMatchObject({ key: 'secretsKeyTooShort', params: { min: '16' } })
    const wrong = new SecretStore(db, { env: { STEPWISE_SECRET_KEY: 'another-key-of-enough-length' } })
    expect(ipcError(await wrong.list().catch((e: unknown) => e))).toMatchObject({ key: 'secretsWrongKey', params: { file } })
    const noKey = new SecretStore(db, { env: {} })
    expect(ipcError(await noKey.list().catch((e: unknown) => e))).toMatchObject({ key: 'secretsFileNeedsKey', params: { file } })
    writeFileSync(file, 'not json')
    const err = ipcError(await secrets.list().catch((e: unknown) => e))
    expect(err).toMatchObject({ key: 'secretsFileUnreadable', params: { file } })
    expect(err.detail).toBeTruthy()
  })

  it('a run that needs a secret which is not set is refused naming it, before anything is recorded', async () => {
    const dir = makeTempDir('stepwise-errko-')
    const base = openRealServices(dir)
    base.runner.dispose()
    const secrets = new SecretStore(base.dbPath, { env: { STEPWISE_SECRET_KEY: 'errors-ko-test-key-0123456789' } })
    const runner = new WorkflowRunner(base.store, { tempRoot: base.tempRoot, secrets })
    try {
      const saved = base.store.saveWorkflow(
        workflow('일일 보고', [step(0, 'Report', py(emit('{}')))], { env: { TOKEN: { secret: 'API_TOKEN' } } })
      )
      const err = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir }).catch((e: unknown) => e)
      expect((err as Error).message).toContain('stepwise secret set API_TOKEN')
      expect(ipcError(err)).toMatchObject({
        code: 'INVALID_INPUT',
        key: 'secretsMissing',
        params: { workflow: '일일 보고', secrets: 'API_TOKEN', env: 'TOKEN' }
      })
      expect(base.store.listExecutions(saved.id)).toEqual([])
    } finally {
      runner.dispose()
      base.store.close()
    }
  })

  it('schedules: a bad cron in the preview and on add, a missing folder, a bad pattern', async () => {
    const dir = makeTempDir('stepwise-errko-')
    const { store, runner } = openRealServices(dir)
    try {
      const handlers = createScheduleHandlers(store)
      expect(await handlers['schedules:preview']({ cron: '0 9 * *', tz: 'UTC', language: 'ko' })).toMatchObject({
        ok: false,
        key: 'cronFieldCount',
        params: { cron: '0 9 * *', count: '4' }
      })
      const invalid = await handlers['schedules:preview']({ cron: '0 99 * * *', tz: 'UTC' })
      expect(invalid).toMatchObject({ ok: false, key: 'cronInvalid', params: { cron: '0 99 * * *' } })
      expect(invalid.ok === false && invalid.detail).toBeTruthy()
      const saved = store.saveWorkflow(workflow('w', [step(0, 'A', py(emit('{}')))]))
      const added = await handlers['schedules:add']({ workflow_id: saved.id, cron: '* * *', tz: 'Mars/Base' }).catch((e: unknown) => e)
      expect(ipcError(added)).toMatchObject({ code: 'INVALID_INPUT', key: 'unknownTimeZone', params: { tz: 'Mars/Base' } })
      expect(() => checkCron('0 0 31 2 *', 'UTC')).toThrow(
        expect.objectContaining({ explanation: expect.objectContaining({ code: 'cronNeverRuns' }) })
      )
      const missing = join(dir, '받은 편지함')
      const trigger = await addTrigger(store.db, { workflowId: saved.id, folder: missing }, new Date()).catch((e: unknown) => e)
      expect(ipcError(trigger)).toMatchObject({ key: 'folderMissing', params: { folder: missing } })
      expect(() => globToRegExp('[ab')).toThrow(
        expect.objectContaining({ explanation: { code: 'patternUnclosed', params: { pattern: '[ab', open: '[', close: ']' } } })
      )
    } finally {
      runner.dispose()
      store.close()
    }
  })

  it('the OS scheduler: another time zone, a cron it cannot express, the tool failing', async () => {
    const schedule = {
      id: 's1',
      workflow_id: 'w',
      cron: '0 9 * * 1-5',
      tz: 'UTC',
      catch_up: 'once' as const,
      overlap: 'skip' as const,
      enabled: true,
      created_at: '',
      last_fire_at: '',
      last_run_at: null,
      last_result: null
    }
    const inv = { node: 'node', script: 'stepwise.js', dbPath: '/x/stepwise.db' }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
    const other = zone === 'Asia/Seoul' ? 'Europe/Berlin' : 'Asia/Seoul'
    expect(ipcError(captureSync(() => definition('windows', { ...schedule, tz: other }, inv)))).toMatchObject({
      key: 'osSchedulerZone',
      params: { tz: other, local: zone }
    })
    const both = { ...schedule, tz: zone, cron: '0 9 1 * 1' }
    const unsupported = ipcError(captureSync(() => definition('windows', both, inv)))
    expect(unsupported).toMatchObject({ key: 'osSchedulerUnsupported', params: { cron: '0 9 1 * 1' } })
    expect(unsupported.detail).toContain('Task Scheduler')
    const failing = async () => ({ exitCode: 1, stdout: '', stderr: 'ERROR: Access is denied.' })
    const failed = await register('windows', { ...schedule, tz: zone }, inv, failing).catch((e: unknown) => e)
    expect(ipcError(failed)).toMatchObject({
      key: 'osSchedulerFailed',
      params: { command: 'schtasks /Create', exit: '1' },
      detail: 'ERROR: Access is denied.'
    })
  })

  it('runs that reuse a past run: only a step with no successful run, a step that is not there, both at once', async () => {
    const dir = makeTempDir('stepwise-errko-')
    const { store, runner } = openRealServices(dir)
    try {
      const saved = store.saveWorkflow(workflow('주간 정리', [step(0, 'Load', py(emit('{}'))), step(1, 'Save', py(emit('{}')))]))
      const only = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir, onlyStep: 'step-1' }).catch((e: unknown) => e)
      expect(ipcError(only)).toMatchObject({ key: 'noSuccessfulRun', params: { workflow: '주간 정리', step: 'Save' } })
      expect(translate('ko', errorKeyOf('noSuccessfulRun')!, { workflow: '주간 정리', step: 'Save' })).toMatch(/“주간 정리”.*“Save”/)
      const first = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir })
      expect((await first.done).status).toBe('SUCCESS')
      const gone = await runner.start(saved.id, { python: PYTHON, workingDirectory: dir, onlyStep: 'Nope' }).catch((e: unknown) => e)
      expect(ipcError(gone)).toMatchObject({ key: 'notAStep', params: { step: 'Nope', workflow: '주간 정리' } })
      const both = await runner
        .start(saved.id, { python: PYTHON, workingDirectory: dir, onlyStep: 'step-1', fromStep: 'step-0' })
        .catch((e: unknown) => e)
      expect(ipcError(both)).toMatchObject({ key: 'fromAndOnly' })
    } finally {
      await runner.stopAll()
      store.close()
    }
  })

  it('a script is never handed to the OS to open, and the window is told why in its words', () => {
    const err = captureSync(() => assertSafeToOpen('/x/report.py', { isFile: () => true, isDirectory: () => false, mode: 0o644 }))
    expect(ipcError(err)).toMatchObject({ code: 'FORBIDDEN', key: 'unsafeScript', params: { path: '/x/report.py' } })
  })
})

function captureSync(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a refusal')
}
