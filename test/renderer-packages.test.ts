// A workflow's packages in the window, without React: the draft carries them through load and save (a save
// used to drop them), blank lines do not count as changes, a bad line is refused before save naming the line
// in the person's language, the one-click fix adds a package once; and the run area's preparation state
// follows pip's lines, keeps their tail, and turns a packages failure into words with the log's path.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, setTransport } from '../src/renderer/src/api'
import { translate } from '../src/renderer/src/i18n'
import { requirementDraftProblems, withRequirement } from '../src/renderer/src/stores/draft-requirements'
import { DraftInvalidError, draftStore, validateDraft } from '../src/renderer/src/stores/draft-store'
import { MAX_PREPARATION_LINES, packagesStore, sentenceOf } from '../src/renderer/src/stores/packages-store'
import { runsStore } from '../src/renderer/src/stores/runs-store'
import { toastStore } from '../src/renderer/src/stores/toast-store'
import type { IpcResult, StepwiseApi } from '../src/shared/ipc-contract'
import type { Workflow } from '../src/shared/model'
import { requirementCheck } from '../src/shared/requirements'

const wf = (requirements: string[]): Workflow => ({
  id: 'wf-pk',
  name: 'Excel report',
  description: '',
  variables: {},
  working_directory: null,
  python_path: null,
  on_failure: [],
  requirements,
  env: {},
  clean_env: false,
  created_at: '2026-11-23T10:00:00.000Z',
  updated_at: '2026-11-23T10:00:00.000Z',
  steps: [
    {
      id: 'a',
      order: 0,
      name: 'Read',
      step_type: 'PYTHON_SCRIPT',
      code: 'import openpyxl',
      description: '',
      input_mapping: {},
      output_mapping: {},
      timeout_seconds: null,
      depends_on: null,
      retry: null,
      continue_on_error: false
    }
  ]
})

function fakeMain(answer: (channel: string, params: Record<string, unknown>) => IpcResult<unknown>) {
  const invoke = vi.fn(async (channel: string, params: Record<string, unknown>) => answer(channel, params))
  setTransport({ invoke, on: () => () => undefined } as unknown as StepwiseApi)
  return invoke
}

const d = () => draftStore.getState()
const messages = (language: 'en' | 'ko') => validateDraft(d().draft!).map((p) => translate(language, p.key, p.params))

describe('the draft carries the workflow’s packages', () => {
  beforeEach(() => d().load(wf(['openpyxl>=3.1', 'requests'])))
  afterEach(() => setTransport(null))

  it('loads them as one line each and saves them back, so a save from the window keeps them', async () => {
    expect(d().draft!.requirementsText).toBe('openpyxl>=3.1\nrequests')
    let sent: Workflow | undefined
    fakeMain((_channel, params) => {
      sent = params.workflow as Workflow
      return { ok: true, value: { ...wf([]), ...(params.workflow as Workflow) } }
    })
    d().updateStep('a', { code: 'import openpyxl, requests' })
    await d().save()
    expect(sent?.requirements).toEqual(['openpyxl>=3.1', 'requests'])
    expect(d().dirty).toBe(false)
  })

  it('blank lines and spaces around a line are not a change; a new line is', () => {
    d().update({ requirementsText: '\n  openpyxl>=3.1  \n\nrequests\n\n' })
    expect(d().dirty).toBe(false)
    d().update({ requirementsText: 'openpyxl>=3.1\nrequests\npandas==2.2.*' })
    expect(d().dirty).toBe(true)
  })

  it('refuses an option, a shell character and a URL before save, naming the line, in Korean and English', async () => {
    const invoke = fakeMain(() => ({ ok: true, value: null }))
    d().update({ requirementsText: 'openpyxl\n--index-url http://x\n\nrequests; rm -rf $HOME\nhttps://evil.example/pkg.whl' })
    expect(messages('ko')).toEqual([
      '패키지 2번째 줄: “--index-url http://x”은(는) 패키지가 아니라 옵션입니다. 패키지를 받을 곳은 설정 → 패키지에서 정합니다.',
      '패키지 4번째 줄: “requests; rm -rf $HOME”에 셸이 해석하는 문자(` $ | & \\)가 있습니다. 패키지 이름과 버전만 쓰세요.',
      '패키지 5번째 줄: “https://evil.example/pkg.whl”은(는) 웹 주소나 직접 참조입니다. 대신 휠 파일을 설정 → 패키지의 휠 폴더에 넣으세요.'
    ])
    expect(messages('en')[0]).toBe(
      'Package line 2: “--index-url http://x” is an option, not a package. Where packages come from is set in Settings → Packages.'
    )
    expect(validateDraft(d().draft!).every((p) => p.field === 'requirements')).toBe(true)
    await expect(d().save()).rejects.toBeInstanceOf(DraftInvalidError)
    expect(invoke).not.toHaveBeenCalled()
  })

  it('every kind the shared check knows has its own words, and the English text is kept for main and the CLI', () => {
    expect(requirementCheck('pandas ; python_version')).toMatchObject({ kind: 'marker' })
    expect(requirementCheck('not a package')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('is not a package requirement')
    })
    expect(requirementCheck('x'.repeat(301))).toMatchObject({ kind: 'too_long' })
    const keys = requirementDraftProblems(`pandas ; python_version\nnot a package\n${'x'.repeat(301)}`).map((p) => p.key)
    expect(keys).toEqual(['packages.problem.marker', 'packages.problem.invalid', 'packages.problem.tooLong'])
    expect(requirementDraftProblems(Array.from({ length: 201 }, (_, i) => `pkg${i}`).join('\n')).map((p) => p.key)).toEqual([
      'packages.problem.tooMany'
    ])
  })

  it('the one-click fix adds a package once, however its name is written', () => {
    d().addRequirement('PyYAML')
    expect(d().draft!.requirementsText).toBe('openpyxl>=3.1\nrequests\nPyYAML')
    d().addRequirement('pyyaml')
    d().addRequirement('Requests')
    expect(d().draft!.requirementsText).toBe('openpyxl>=3.1\nrequests\nPyYAML')
    expect(withRequirement('\n\n', 'stepwise-demo-pkg')).toBe('stepwise-demo-pkg')
    expect(d().dirty).toBe(true)
  })
})

describe('preparing packages before a run, in the run area', () => {
  const p = () => packagesStore.getState()
  beforeEach(() => {
    p().dismiss('wf-pk')
    toastStore.setState({ toasts: [] })
  })
  afterEach(() => setTransport(null))

  it('shows nothing until pip says something, then keeps the last lines like a log', () => {
    p().begin('wf-pk')
    expect(p().byWorkflow['wf-pk'].visible).toBe(false)
    for (let i = 1; i <= MAX_PREPARATION_LINES + 50; i++) p().line('wf-pk', `line ${i}`)
    const prep = p().byWorkflow['wf-pk']
    expect(prep.visible).toBe(true)
    expect(prep.lines).toHaveLength(MAX_PREPARATION_LINES)
    expect(prep.lines[0]).toBe('line 51')
    expect(prep.dropped).toBe(50)
    // pip coloured by an inherited FORCE_COLOR still reads as text.
    p().line('wf-pk', '\u001b[31mERROR: No matching distribution found for x\u001b[0m')
    expect(p().byWorkflow['wf-pk'].lines.at(-1)).toBe('ERROR: No matching distribution found for x')
    // Lines of a workflow the window did not start are not shown.
    p().line('other', 'x')
    expect(p().byWorkflow.other).toBeUndefined()
  })

  it('a packages failure of runs:start is shown in words with the log, not as a toast; the sentence loses the path', async () => {
    const message =
      'The package stepwise-no-such-pkg was not found in the wheel folder /w.\nThe full output of the installer: /e/py312-ab.log'
    expect(sentenceOf(message)).toBe('The package stepwise-no-such-pkg was not found in the wheel folder /w.')
    fakeMain(() => ({
      ok: false,
      error: { code: 'ENVIRONMENT', message, environment: { problem: 'not-found', log_path: '/e/py312-ab.log' } }
    }))
    expect(await runsStore.getState().start('wf-pk')).toBeNull()
    expect(p().byWorkflow['wf-pk']).toMatchObject({
      state: 'failed',
      visible: true,
      failure: { problem: 'not-found', logPath: '/e/py312-ab.log', message: sentenceOf(message) }
    })
    expect(toastStore.getState().toasts).toEqual([])
  })

  it('any other refusal is a toast as before, and a started run clears the preparation', async () => {
    fakeMain(() => ({ ok: false, error: { code: 'INVALID_INPUT', message: 'The workflow "x" has no steps to run.' } }))
    expect(await runsStore.getState().start('wf-pk')).toBeNull()
    expect(p().byWorkflow['wf-pk']).toBeUndefined()
    expect(toastStore.getState().toasts).toHaveLength(1)
    fakeMain(() => ({ ok: true, value: { execution_id: 'e1' } }))
    expect(await runsStore.getState().resume('e0', { workflowId: 'wf-pk' })).toBe('e1')
    expect(p().byWorkflow['wf-pk']).toBeUndefined()
    expect(p().fail('wf-pk', new ApiError('INTERNAL', 'boom', 'runs:start'))).toBe(false)
  })
})
