// What real runs record (English, by design) is read back into codes the window says in Korean: a failed
// script, a silent failure, a timeout, a Stop, a Python that cannot start, and what a skipped schedule or a
// paused trigger records. Python's own lines stay as they were.
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { explainPausedReason, explainRunError, explainScheduleResult, explainStepError } from '../src/shared/recorded-error-text'
import { translate } from '../src/renderer/src/i18n'
import { pausedReasonText, runErrorHeadline, scheduleResultText, stepErrorHeadline } from '../src/renderer/src/lib/recorded-error'
import { folderProblem } from '../src/main/services/schedule'
import { PYTHON } from './helpers/python'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

const ko = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('ko', key, params)

describe('recorded errors of real runs, in Korean', () => {
  it('a failed script, a silent failure, a timeout, a Stop and a Python that does not exist', async () => {
    const dir = makeTempDir('stepwise-errko-rec-')
    const services = openRealServices(dir)
    try {
      const failed = await saveAndRun(services, workflow('실패', [step(0, '읽기', py('raise ValueError("빈 시트")'))]), {
        workingDirectory: dir
      })
      expect(failed.error).toMatch(/^Step "읽기": Script failed with exit code 1:\n/)
      expect(explainRunError(failed.error!)).toMatchObject({
        code: 'runStepFailed',
        params: { step: '읽기' },
        inner: { code: 'stepExitCode' }
      })
      expect(explainRunError(failed.error!)?.detail).toContain('ValueError: 빈 시트')
      expect(runErrorHeadline(failed.error!, ko)).toBe('단계 “읽기”: 스크립트가 종료 코드 1(으)로 실패했습니다')
      expect(stepErrorHeadline(failed.steps[0].error!, ko)).toBe('스크립트가 종료 코드 1(으)로 실패했습니다')

      const silent = await saveAndRun(services, workflow('조용한 실패', [step(0, '끝', py('sys.exit(4)'))]), { workingDirectory: dir })
      expect(explainStepError(silent.steps[0].error!)).toEqual({ code: 'stepExitCodeSilent', params: { code: '4' } })

      if (process.platform !== 'win32') {
        const killed = await saveAndRun(
          services,
          workflow('강제 종료', [
            step(
              0,
              '자폭',
              py('import os, signal', 'print("곧 끝남", file=sys.stderr, flush=True)', 'os.kill(os.getpid(), signal.SIGKILL)')
            )
          ]),
          { workingDirectory: dir }
        )
        expect(killed.steps[0].error).toBe('The script was ended by the signal SIGKILL:\n곧 끝남')
        expect(explainStepError(killed.steps[0].error!)).toEqual({
          code: 'stepKilledBySignal',
          params: { signal: 'SIGKILL' },
          detail: '곧 끝남'
        })
      }

      const slow = await saveAndRun(services, workflow('느림', [step(0, '대기', py('time.sleep(30)'), { timeout_seconds: 0.5 })]), {
        workingDirectory: dir
      })
      expect(slow.status).toBe('TIMED_OUT')
      expect(runErrorHeadline(slow.error!, ko)).toBe(
        '단계 “대기”: 0.5초 제한 시간이 지났습니다. 스크립트와 스크립트가 시작한 모든 프로세스를 중지했습니다.'
      )

      const saved = services.store.saveWorkflow(workflow('중지', [step(0, '긴 작업', py('time.sleep(60)'))]))
      const run = await services.runner.start(saved.id, { python: PYTHON, workingDirectory: dir })
      await expect.poll(() => services.store.getExecution(run.executionId).steps[0]?.status).toBe('RUNNING')
      services.runner.stop(run.executionId)
      const stopped = await run.done
      expect(stepErrorHeadline(stopped.steps[0].error!, ko)).toBe('사용자가 중지했습니다.')

      const missing = join(dir, 'no-such-python')
      const noPython = await saveAndRun(services, workflow('파이썬 없음', [step(0, '시작', py('pass'))]), {
        workingDirectory: dir,
        python: missing
      }).catch((e: unknown) => e)
      // A chosen interpreter that is not there is refused before the run (a coded refusal of its own).
      expect(noPython).toMatchObject({ explanation: { code: 'pythonChosenMissing' } })
    } finally {
      await services.runner.stopAll()
      services.store.close()
    }
  }, 60_000)

  it('an engine sentence that is not recognised stays as recorded', () => {
    expect(explainRunError('Something new went wrong')).toBeNull()
    expect(runErrorHeadline('Step "A": something only a newer Stepwise says', ko)).toBe('단계 “A”: something only a newer Stepwise says')
  })

  it('what the unattended runner records for a schedule and a trigger', async () => {
    expect(explainScheduleResult('skipped 2026-12-02T09:00:00.000Z: the previous run was still running')).toEqual({
      code: 'scheduleSkipped',
      params: { at: '2026-12-02T09:00:00.000Z' }
    })
    expect(scheduleResultText('skipped 2026-12-02T09:00:00.000Z: the previous run was still running', ko)).toBe(
      '2026-12-02T09:00:00.000Z 실행을 건너뛰었습니다. 이전 실행이 아직 진행 중이었습니다'
    )
    expect(scheduleResultText('FAILED', ko)).toBe(ko('status.FAILED'))
    expect(scheduleResultText('could not start: the workflow w1 was deleted', ko)).toBe('시작하지 못했습니다: the workflow w1 was deleted')
    const folder = join(makeTempDir('stepwise-errko-rec-'), '받은 편지함')
    const reason = (await folderProblem(folder))!
    expect(explainPausedReason(reason)).toEqual({ code: 'triggerWaitsForFolder', params: { folder } })
    expect(pausedReasonText(reason, ko)).toContain(`폴더 “${folder}”이(가) 없습니다`)
  })
})
