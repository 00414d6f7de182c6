// The selected step: its name, description, timeout, run control, code, and how variables flow in and out of it.
import { useEffect, useMemo } from 'react'
import type { Breakpoint } from '../../../shared/debugger'
import type { JsonValue } from '../../../shared/model'
import { useT } from '../i18n/use-t'
import { undefinedInputs, variablesBefore } from '../lib/mapping-suggestions'
import { parseVariablesText } from '../lib/json-text'
import { draftStore, draftSteps } from '../stores/draft-store'
import { debugStep, handleDebugKey } from '../debug-actions'
import { debugStore } from '../stores/debug-store'
import { useDebug, useDraft, useRuns, useSettings } from '../stores/hooks'
import { CodeEditor } from './CodeEditor'
import { DebugPanel } from './DebugPanel'
import { MappingTable, type Suggestion } from './MappingTable'
import { StepRunControl } from './StepRunControl'
import { useDarkTheme } from './theme'

const NO_BREAKPOINTS: Breakpoint[] = []

function outputKeys(output: JsonValue | null | undefined): string[] {
  return output && typeof output === 'object' && !Array.isArray(output) ? Object.keys(output) : []
}

export function StepEditor() {
  const { t } = useT()
  const draft = useDraft((s) => s.draft)
  const selectedId = useDraft((s) => s.selectedStepId)
  const jump = useDraft((s) => s.jump)
  const loadId = useDraft((s) => s.loadId)
  const defaultTimeout = useSettings((s) => s.settings.default_timeout_seconds)
  const dark = useDarkTheme()
  const index = draft?.steps.findIndex((s) => s.id === selectedId) ?? -1
  const step = index >= 0 ? draft!.steps[index] : null
  const lastOutput = useRuns((s) => {
    if (!draft || !step) return null
    const rid = s.latestByWorkflow[draft.id]
    return rid ? (s.runs[rid]?.steps.find((x) => x.id === step.id)?.output ?? null) : null
  })

  const workflowId = draft?.id ?? ''
  const stepId = step?.id ?? ''
  const breakpoints = useDebug((s) => s.breakpoints[`${workflowId}:${stepId}`] ?? NO_BREAKPOINTS)
  const debugging = useDebug((s) => !!s.session && s.session.workflowId === workflowId && s.session.stepId === stepId)
  const pausedLine = useDebug((s) =>
    s.session && s.session.workflowId === workflowId && s.session.stepId === stepId && s.session.status === 'paused' ? s.session.line : null
  )
  useEffect(() => {
    if (workflowId && stepId) debugStore.getState().breakpointsOf(workflowId, stepId)
  }, [workflowId, stepId])
  useEffect(() => {
    if (!stepId) return
    const onKey = (e: KeyboardEvent) => void handleDebugKey(e, stepId)
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [stepId])

  const { variableSuggestions, unknown } = useMemo(() => {
    if (!draft || index < 0) return { variableSuggestions: [] as Suggestion[], unknown: [] as string[] }
    const steps = draftSteps(draft)
    const vars = parseVariablesText(draft.variablesText)
    const initial = vars.ok ? vars.value : {}
    return {
      variableSuggestions: variablesBefore(steps, index, initial).map((v) => ({
        value: v.name,
        label: v.stepName ? t('mapping.fromStep', { step: v.stepName }) : t('mapping.fromInitial')
      })),
      unknown: undefinedInputs(steps, index, initial)
    }
  }, [draft, index, t])

  if (!draft || !step) {
    return <div className="empty-state">{draft?.steps.length ? t('editor.pickStep') : t('steps.empty')}</div>
  }
  const update = draftStore.getState().updateStep
  const outputSuggestions = outputKeys(lastOutput).map((k) => ({ value: k, label: t('mapping.fromLastOutput') }))

  return (
    <div className="step-editor" data-testid="step-editor" data-step-id={step.id}>
      <div className="step-fields">
        <label className="field field-name">
          <span>{t('editor.name')}</span>
          <input
            value={step.name}
            onChange={(e) => update(step.id, { name: e.target.value })}
            maxLength={200}
            data-testid="step-name"
            aria-invalid={!step.name.trim()}
          />
        </label>
        <label className="field field-description">
          <span>{t('editor.description')}</span>
          <input
            value={step.description}
            onChange={(e) => update(step.id, { description: e.target.value })}
            placeholder={t('editor.descriptionPlaceholder')}
            data-testid="step-description"
          />
        </label>
        <label className="field field-timeout">
          <span>{t('editor.timeout')}</span>
          <input
            type="number"
            min={1}
            step={1}
            value={step.timeout_seconds ?? ''}
            placeholder={t('editor.timeoutDefault', { seconds: defaultTimeout })}
            onChange={(e) => update(step.id, { timeout_seconds: e.target.value === '' ? null : Number(e.target.value) })}
            data-testid="step-timeout"
          />
        </label>
      </div>
      <StepRunControl draft={draft} step={step} />
      <div className="debug-launch">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void debugStep(step.id)}
          title={t('debugger.debugStepHint')}
          data-testid="debug-step"
        >
          {t('debugger.debugStep')} <kbd>Ctrl+F5</kbd>
        </button>
        <span className="muted">{t('debugger.gutterHint')}</span>
      </div>
      <div className={`step-body ${debugging ? 'debugging' : ''}`}>
        <div className="step-code">
          {/* One editor (and undo history) per step of each loaded workflow: new workflows all start with
              "step-1", and a reused editor would keep the history, so Ctrl+Z brought back another
              workflow's code. */}
          <CodeEditor
            key={`${draft.id}:${loadId}:${step.id}`}
            value={step.code}
            onChange={(code) => update(step.id, { code })}
            dark={dark}
            jumpLine={jump && jump.stepId === step.id ? jump.line : null}
            jumpNonce={jump && jump.stepId === step.id ? jump.nonce : null}
            label={t('editor.codeLabel', { name: step.name })}
            breakpoints={breakpoints.map((b) => ({ line: b.line, conditional: !!b.condition }))}
            onToggleBreakpoint={(line) => debugStore.getState().toggleBreakpoint(draft.id, step.id, line)}
            pausedLine={pausedLine}
          />
        </div>
        {debugging ? (
          <DebugPanel workflowId={draft.id} stepId={step.id} />
        ) : (
          <aside className="step-mappings" aria-label={t('mapping.title')}>
            <MappingTable
              testid="input-mapping"
              caption={t('mapping.inputs')}
              help={t('mapping.inputsHelp')}
              keyLabel={t('mapping.alias')}
              valueLabel={t('mapping.variable')}
              rows={step.inputs}
              onChange={(inputs) => update(step.id, { inputs })}
              valueSuggestions={variableSuggestions}
              unknownValues={unknown}
              unknownValueHint={t('mapping.notDefined')}
            />
            <MappingTable
              testid="output-mapping"
              caption={t('mapping.outputs')}
              help={t('mapping.outputsHelp')}
              keyLabel={t('mapping.variable')}
              valueLabel={t('mapping.outputKey')}
              rows={step.outputs}
              onChange={(outputs) => update(step.id, { outputs })}
              valueSuggestions={outputSuggestions}
            />
          </aside>
        )}
      </div>
    </div>
  )
}
