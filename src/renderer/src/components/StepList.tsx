// The steps in the order they run. Reorder by dragging, or from the keyboard with Alt+↑/↓ on a step;
// each step shows its status in the current run. On-failure steps come last, under their own heading.
import { Fragment, useRef, useState, type DragEvent, type KeyboardEvent } from 'react'
import { useT } from '../i18n/use-t'
import { draftStore } from '../stores/draft-store'
import { useDraft, useRuns } from '../stores/hooks'
import { uiStore } from '../stores/ui-store'
import { StatusBadge } from './StatusBadge'
import './run-control-edit.css'

const NO_HANDLERS: string[] = []

export function StepList() {
  const { t } = useT()
  const steps = useDraft((s) => s.draft?.steps ?? [])
  const workflowId = useDraft((s) => s.draft?.id ?? null)
  const selected = useDraft((s) => s.selectedStepId)
  const onFailure = useDraft((s) => s.draft?.on_failure ?? NO_HANDLERS)
  const firstHandler = steps.findIndex((s) => onFailure.includes(s.id))
  const run = useRuns((s) => {
    const rid = workflowId ? s.latestByWorkflow[workflowId] : undefined
    return rid ? s.runs[rid] : undefined
  })
  const [dragId, setDragId] = useState<string | null>(null)
  const [dropIndex, setDropIndex] = useState<number | null>(null)
  const listRef = useRef<HTMLOListElement>(null)
  const [announce, setAnnounce] = useState('')

  const focusStep = (id: string) =>
    requestAnimationFrame(() => listRef.current?.querySelector<HTMLElement>(`[data-step-id="${id}"]`)?.focus())

  const onKey = (e: KeyboardEvent, id: string, index: number) => {
    const d = draftStore.getState()
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault()
      const to = index + (e.key === 'ArrowUp' ? -1 : 1)
      if (to < 0 || to >= steps.length) return
      d.moveStep(id, to)
      // On-failure steps and normal ones do not move past each other: say only a move that happened.
      if (draftStore.getState().draft?.steps[to]?.id === id) setAnnounce(t('steps.movedTo', { name: steps[index].name, position: to + 1 }))
      focusStep(id)
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault()
      const next = steps[index + (e.key === 'ArrowUp' ? -1 : 1)]
      if (next) {
        d.selectStep(next.id)
        focusStep(next.id)
      }
    } else if (e.key === 'Delete') {
      e.preventDefault()
      void removeStep(id, steps[index].name)
    }
  }

  const removeStep = async (id: string, name: string) => {
    const answer = await uiStore.getState().confirm({
      titleKey: 'confirm.deleteStepTitle',
      messageKey: 'confirm.deleteStepMessage',
      params: { name },
      confirmKey: 'action.delete',
      danger: true
    })
    if (answer === 'confirm') draftStore.getState().deleteStep(id)
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    if (dragId !== null && dropIndex !== null) {
      const from = steps.findIndex((s) => s.id === dragId)
      draftStore.getState().moveStep(dragId, dropIndex > from ? dropIndex - 1 : dropIndex)
    }
    setDragId(null)
    setDropIndex(null)
  }

  return (
    <section className="step-list-pane" aria-label={t('steps.title')}>
      <div className="pane-head">
        <h2>{t('steps.title')}</h2>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => draftStore.getState().addStep(selected)}
          data-testid="add-step"
          title={t('steps.addHint')}
        >
          + {t('steps.add')}
        </button>
      </div>
      <ol
        className="step-list"
        role="listbox"
        aria-label={t('steps.title')}
        ref={listRef}
        data-testid="step-list"
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
        aria-describedby="step-list-help"
      >
        {steps.map((step, index) => {
          const live = run?.steps.find((s) => s.id === step.id)
          const handler = onFailure.includes(step.id)
          return (
            <Fragment key={step.id}>
              {/* The heading is for the eye; each of these options says "On failure" itself. */}
              {index === firstHandler && (
                <li className="step-list-section" aria-hidden="true" data-testid="step-list-on-failure">
                  {t('runControl.edit.onFailure')}
                </li>
              )}
              <li
                data-step-id={step.id}
                data-testid="step-item"
                data-name={step.name}
                tabIndex={0}
                role="option"
                aria-selected={step.id === selected}
                className={`step-item${step.id === selected ? ' selected' : ''}${dragId === step.id ? ' dragging' : ''}${dropIndex === index ? ' drop-before' : ''}${dropIndex === steps.length && index === steps.length - 1 ? ' drop-after' : ''}`}
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = 'move'
                  e.dataTransfer.setData('text/plain', step.id)
                  setDragId(step.id)
                }}
                onDragOver={(e) => {
                  e.preventDefault()
                  const rect = e.currentTarget.getBoundingClientRect()
                  setDropIndex(e.clientY < rect.top + rect.height / 2 ? index : index + 1)
                }}
                onDragEnd={() => {
                  setDragId(null)
                  setDropIndex(null)
                }}
                onClick={() => draftStore.getState().selectStep(step.id)}
                onKeyDown={(e) => onKey(e, step.id, index)}
              >
                <span className="drag-handle" aria-hidden="true">
                  ⋮⋮
                </span>
                <span className="step-order">{index + 1}</span>
                <span className="step-item-main">
                  <span className="step-item-name">{step.name || t('steps.unnamed')}</span>
                  {handler && (
                    <span className="badge badge-on-failure" data-testid="step-on-failure-badge">
                      {t('runControl.edit.onFailure')}
                    </span>
                  )}
                  {live && <StatusBadge status={live.status} startedAt={live.startedAt} durationMs={live.durationMs} />}
                </span>
                {/* Mouse shortcuts for the keys in the hint (Alt+↑/↓, Delete): an option may not hold buttons,
                  which screen readers could not reach, so these are not buttons and not in the tab order. */}
                <span className="step-item-tools" aria-hidden="true">
                  <span
                    className="icon-btn"
                    title={t('steps.moveUp', { name: step.name })}
                    data-disabled={index === 0 || undefined}
                    onClick={(e) => {
                      e.stopPropagation()
                      if (index > 0) draftStore.getState().moveStep(step.id, index - 1)
                    }}
                    data-testid="step-move-up"
                  >
                    ↑
                  </span>
                  <span
                    className="icon-btn"
                    title={t('steps.moveDown', { name: step.name })}
                    data-disabled={index === steps.length - 1 || undefined}
                    onClick={(e) => {
                      e.stopPropagation()
                      if (index < steps.length - 1) draftStore.getState().moveStep(step.id, index + 1)
                    }}
                    data-testid="step-move-down"
                  >
                    ↓
                  </span>
                  <span
                    className="icon-btn danger"
                    title={t('steps.delete', { name: step.name })}
                    onClick={(e) => {
                      e.stopPropagation()
                      void removeStep(step.id, step.name)
                    }}
                    data-testid="step-delete"
                  >
                    ✕
                  </span>
                </span>
              </li>
            </Fragment>
          )
        })}
      </ol>
      {steps.length === 0 && <p className="empty-hint">{t('steps.empty')}</p>}
      <p id="step-list-help" className="hint">
        {t('steps.keyboardHint')}
      </p>
      <div className="sr-only" aria-live="polite">
        {announce}
      </div>
    </section>
  )
}
