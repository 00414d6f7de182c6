// A step's code as it ran in a past run, read-only, with the traceback's line marked: the line numbers of an
// old traceback point into that code, not into what the editor holds now. It says whether the two differ.
import { useEffect, useMemo, useRef } from 'react'
import CodeMirror, { Decoration, EditorView } from '@uiw/react-codemirror'
import { python } from '@codemirror/lang-python'
import { jumpToLine } from '../app-actions'
import { useT } from '../i18n/use-t'
import { codeMirrorCsp } from '../lib/csp'
import { recordedCodeStore, type RecordedCodeView } from '../stores/recorded-code-store'
import { useStore } from 'zustand'
import { readableLightHighlight } from './CodeEditor'
import { useDarkTheme } from './theme'
import './RecordedCodeViewer.css'

function markLine(line: number) {
  return EditorView.decorations.compute(['doc'], (state) => {
    const at = state.doc.line(Math.min(Math.max(1, line), state.doc.lines))
    return Decoration.set([Decoration.line({ class: 'cm-error-line', attributes: { 'data-testid': 'recorded-line' } }).range(at.from)])
  })
}

function Viewer({ view }: { view: RecordedCodeView }) {
  const { t } = useT()
  const dark = useDarkTheme()
  const closeRef = useRef<HTMLButtonElement>(null)
  const close = () => recordedCodeStore.getState().close()
  const label = t('runControl.run.code.label', { name: view.name })
  const extensions = useMemo(
    () => [
      python(),
      codeMirrorCsp,
      markLine(view.line),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      ...(dark ? [] : [readableLightHighlight])
    ],
    [view.line, label, dark]
  )

  // Focus moves into the dialog, and back to what opened it when it closes.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    closeRef.current?.focus()
    return () => opener?.focus()
  }, [])

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div
        className="modal recorded-code-viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="recorded-code-title"
        data-testid="recorded-code"
        data-differs={view.differs === null ? undefined : String(view.differs)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            close()
          }
        }}
      >
        <div className="recorded-code-head">
          <h2 id="recorded-code-title">{t('runControl.run.code.title', { name: view.name })}</h2>
          <button ref={closeRef} type="button" className="btn btn-small" onClick={close} data-testid="recorded-code-close">
            {t('action.close')}
          </button>
        </div>
        <p className="muted recorded-code-run">{t('runControl.run.code.run', { id: view.executionId.slice(0, 8), line: view.line })}</p>
        {view.differs !== null && (
          <p className={`recorded-code-note${view.differs ? ' differs' : ''}`} role="status" data-testid="recorded-code-note">
            {t(view.differs ? 'runControl.run.code.differs' : 'runControl.run.code.same')}
          </p>
        )}
        <div className="recorded-code-body">
          <CodeMirror
            value={view.code}
            readOnly
            editable={false}
            theme={dark ? 'dark' : 'light'}
            height="100%"
            extensions={extensions}
            onCreateEditor={(ev) => {
              const at = ev.state.doc.line(Math.min(Math.max(1, view.line), ev.state.doc.lines))
              ev.dispatch({ effects: EditorView.scrollIntoView(at.from, { y: 'center' }) })
            }}
            basicSetup={{ lineNumbers: true, foldGutter: false, highlightActiveLine: false, searchKeymap: true, autocompletion: false }}
          />
        </div>
        {view.differs !== null && (
          <div className="modal-actions">
            <button
              type="button"
              className="btn"
              onClick={() => {
                close()
                jumpToLine(view.stepId, view.line)
              }}
              data-testid="recorded-code-open-current"
            >
              {t('runControl.run.code.openCurrent', { line: view.line })}
            </button>
          </div>
        )}
      </div>
    </div>
  )
}

/** Mounted where tracebacks are shown (the run panel, the history); shows the code when one was asked for. */
export function RecordedCodeHost() {
  const view = useStore(recordedCodeStore, (s) => s.view)
  return view ? <Viewer key={`${view.executionId}:${view.stepId}:${view.line}`} view={view} /> : null
}
