// The editor draft's run control without React: dependencies that keep what the person sees (the first one
// writes the order out), on-failure steps kept apart, retries carried through save, and each bad value
// refused with a message naming the step and the field, before anything is sent to main.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setTransport } from '../src/renderer/src/api'
import { translate } from '../src/renderer/src/i18n'
import { effectiveDependencies } from '../src/renderer/src/stores/draft-dependencies'
import { DraftInvalidError, draftStore, validateDraft } from '../src/renderer/src/stores/draft-store'
import type { StepwiseApi } from '../src/shared/ipc-contract'
import type { Step, Workflow } from '../src/shared/model'

const step = (id: string, order: number, extra: Partial<Step> = {}): Step => ({
  id,
  order,
  name: id.toUpperCase(),
  step_type: 'PYTHON_SCRIPT',
  code: 'print(1)',
  description: '',
  input_mapping: {},
  output_mapping: {},
  timeout_seconds: null,
  depends_on: null,
  retry: null,
  continue_on_error: false,
  ...extra
})

// Four steps that run in order: A, B, C, D.
const inOrder = (): Workflow => ({
  id: 'wf-rc',
  name: 'Nightly',
  description: '',
  variables: {},
  working_directory: null,
  python_path: null,
  on_failure: [],
  requirements: [],
  env: {},
  clean_env: false,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  steps: [step('a', 0), step('b', 1), step('c', 2), step('d', 3)]
})

function fakeSave(): { sent: () => Record<string, unknown> | undefined; invoke: ReturnType<typeof vi.fn> } {
  let sent: Record<string, unknown> | undefined
  const invoke = vi.fn(async (channel: string, params: { workflow: Workflow }) => {
    if (channel !== 'workflows:save') return { ok: false, error: { code: 'INTERNAL', message: channel } }
    sent = params.workflow as unknown as Record<string, unknown>
    return { ok: true, value: { ...inOrder(), ...params.workflow } }
  })
  setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
  return { sent: () => sent, invoke }
}

const d = () => draftStore.getState()
const deps = () => Object.fromEntries(d().draft!.steps.map((s) => [s.id, s.depends_on]))
const messages = (language: 'en' | 'ko') => validateDraft(d().draft!).map((p) => translate(language, p.key, p.params))

describe('run control in the draft', () => {
  beforeEach(() => d().load(inOrder()))
  afterEach(() => setTransport(null))

  it('the first dependency writes the order out, so only what was asked for runs side by side', () => {
    expect(effectiveDependencies(d().draft!.steps, []).get('c')).toEqual(['b'])
    d().setDependencies('c', ['a'])
    expect(deps()).toEqual({ a: [], b: ['a'], c: ['a'], d: ['c'] })
    expect(d().dirty).toBe(true)
    d().addDependency('d', 'b')
    d().removeDependency('b', 'a')
    expect(deps()).toEqual({ a: [], b: [], c: ['a'], d: ['c', 'b'] })
  })

  it('deleting a step hands its dependencies to the steps that waited for it and drops it from on_failure', () => {
    d().setDependencies('c', ['b'])
    d().deleteStep('b')
    expect(deps()).toEqual({ a: [], c: ['a'], d: ['c'] })
    d().setOnFailure('d', true)
    expect(d().draft!.on_failure).toEqual(['d'])
    d().deleteStep('d')
    expect(d().draft!.on_failure).toEqual([])
  })

  it('an on-failure step leaves the normal order, waits for nothing, and stays after the normal steps', () => {
    d().setDependencies('c', ['b'])
    d().setOnFailure('b', true)
    expect(d().draft!.steps.map((s) => s.id)).toEqual(['a', 'c', 'd', 'b'])
    expect(deps()).toEqual({ a: [], c: ['a'], d: ['c'], b: null })
    d().moveStep('b', 0)
    expect(d().draft!.steps.map((s) => s.id)).toEqual(['a', 'c', 'd', 'b'])
    d().addStep('d')
    expect(d().draft!.steps.map((s) => s.depends_on)).toEqual([[], ['a'], ['c'], ['d'], null])
    expect(validateDraft(d().draft!)).toEqual([])
  })

  it('carries retry, continue-on-error and on_failure through save and comes back clean', async () => {
    const { sent } = fakeSave()
    d().updateStep('b', { retry: { count: '3', delay_seconds: '2.5', backoff: '2', exit_codes: '1, 75' }, continue_on_error: true })
    d().setOnFailure('d', true)
    await d().save()
    expect(sent()).toMatchObject({
      on_failure: ['d'],
      steps: [
        { id: 'a' },
        { id: 'b', retry: { count: 3, delay_seconds: 2.5, backoff: 2, exit_codes: [1, 75] }, continue_on_error: true },
        { id: 'c' },
        { id: 'd' }
      ]
    })
    expect(d().dirty).toBe(false)
  })

  it('refuses a retry count of -1 or 10000, a delay of a year, a bad backoff and exit code, naming step and field in Korean', async () => {
    const { invoke } = fakeSave()
    d().updateStep('b', { retry: { count: '10000', delay_seconds: '31536000', backoff: '0.5', exit_codes: '1, x' } })
    d().updateStep('c', { retry: { count: '-1', delay_seconds: '0', backoff: '1', exit_codes: '' } })
    expect(messages('ko')).toEqual([
      '“B” 단계의 재시도 횟수: 0부터 20까지의 정수여야 합니다 (입력값: 10000).',
      '“B” 단계의 재시도 전 대기: 0초부터 3600초(1시간)까지여야 합니다 (입력값: 31536000).',
      '“B” 단계의 대기 시간 배수: 1부터 10까지여야 합니다 (입력값: 0.5).',
      '“B” 단계의 종료 코드: “x”은(는) 정수가 아닙니다.',
      '“C” 단계의 재시도 횟수: 0부터 20까지의 정수여야 합니다 (입력값: -1).'
    ])
    await expect(d().save()).rejects.toBeInstanceOf(DraftInvalidError)
    expect(invoke).not.toHaveBeenCalled()
    d().updateStep('c', { retry: { count: '2.5', delay_seconds: '', backoff: '1', exit_codes: '' } })
    expect(messages('en').slice(-2)).toEqual([
      'Step “C”, Retries: must be a whole number from 0 to 20, not 2.5.',
      'Step “C”, Wait before retrying: must be from 0 to 3600 seconds (an hour), not —.'
    ])
  })

  it('refuses a cycle and a wait for an on-failure step with the step named, and selects nothing it cannot find', () => {
    d().setDependencies('a', ['d'])
    expect(messages('en')).toEqual(['Step “A”, Depends on: the steps wait for each other in a circle (A → D → C → B → A).'])
    expect(validateDraft(d().draft!)[0].stepId).toBe('a')
    d().setDependencies('a', [])
    d().setOnFailure('d', true)
    d().setDependencies('c', ['b', 'd'])
    expect(messages('ko')).toEqual(['“C” 단계의 선행 단계: “D”은(는) 실행이 실패할 때만 실행되므로 다른 단계가 기다릴 수 없습니다.'])
  })

  it('refuses more than five on-failure steps', () => {
    d().load({ ...inOrder(), steps: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => step(id, i)) })
    for (const id of ['b', 'c', 'd', 'e', 'f', 'g']) d().setOnFailure(id, true)
    expect(messages('en')).toEqual(['On failure: at most 5 steps may be checked, not 6.'])
  })
})
