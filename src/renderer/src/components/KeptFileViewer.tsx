// A debug run's kept script or variables file, read-only in the app: line numbers, search (Ctrl+F), a copy
// button, the variables decoded and indented. The file is read through the main process, which serves only
// files a run kept; it is never handed to the system's "open", which would RUN a script on Windows.
import { useEffect, useMemo, useRef, useState } from 'react'
import CodeMirror, { EditorView } from '@uiw/react-codemirror'
import { python } from '@codemirror/lang-python'
import { errorSentence } from '../lib/error-text'
import type { KeptFileText } from '../../../shared/ipc-contract'
import { call } from '../api'
import { copyText, openInEditor, openPath } from '../app-actions'
import { useT } from '../i18n/use-t'
import { stripAnsi } from '../lib/ansi'
import { codeMirrorCsp } from '../lib/csp'
import { useDarkTheme } from './theme'
import './KeptFileViewer.css'

/** installer-log: a failed package install's whole output, read from the environments folder; output: a file a run wrote. */
export type KeptFileKind = 'script' | 'variables' | 'installer-log' | 'output'

const TITLES = {
  script: 'viewer.scriptTitle',
  variables: 'viewer.variablesTitle',
  'installer-log': 'packages.log.title',
  output: 'finish.outputs.title'
} as const

/** Variables files are one line of JSON with \u escapes for Korean: show them decoded and indented. */
function shownText(file: KeptFileText, kind: KeptFileKind): string {
  if (kind === 'installer-log') return stripAnsi(file.text)
  if (kind !== 'variables' || file.truncated) return file.text
  try {
    return JSON.stringify(JSON.parse(file.text), null, 2)
  } catch {
    return file.text
  }
}

export function KeptFileViewer({ path, kind, onClose }: { path: string; kind: KeptFileKind; onClose: () => void }) {
  const { t } = useT()
  const dark = useDarkTheme()
  const [file, setFile] = useState<KeptFileText | null>(null)
  const [error, setError] = useState<string | null>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const title = t(TITLES[kind])
  // An installer log is not a file a run kept: main serves it from the environments folder only.
  const kept = kind !== 'installer-log'

  useEffect(() => {
    let live = true
    call(kind === 'installer-log' ? 'env:readLog' : 'shell:readKeptFile', { path }).then(
      (f) => live && setFile(f),
      (e: unknown) => live && setError(errorSentence(e, t))
    )
    return () => {
      live = false
    }
  }, [path, kind])

  // Focus moves into the dialog, and back to what opened it when it closes.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    closeRef.current?.focus()
    return () => opener?.focus()
  }, [])

  const text = useMemo(() => (file ? shownText(file, kind) : ''), [file, kind])
  const extensions = useMemo(
    () => [
      ...(kind === 'script' || (kind === 'output' && /\.pyw?$/i.test(path)) ? [python()] : []),
      codeMirrorCsp,
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': title })
    ],
    [kind, title, path]
  )

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="modal kept-file-viewer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="kept-file-title"
        data-testid="kept-file-viewer"
        data-kind={kind}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            onClose()
          }
        }}
      >
        <div className="kept-file-head">
          <h2 id="kept-file-title">{title}</h2>
          <button ref={closeRef} type="button" className="btn btn-small" onClick={onClose} data-testid="viewer-close">
            {t('action.close')}
          </button>
        </div>
        <code className="kept-file-path" data-testid="viewer-path">
          {path}
        </code>
        {file?.truncated && (
          <p className="kept-file-note" role="status" data-testid="viewer-truncated">
            {t('viewer.truncated', { size: (file.size / 1048576).toFixed(1) })}
          </p>
        )}
        {error && (
          <p className="kept-file-error" role="alert" data-testid="viewer-error">
            {error}
          </p>
        )}
        <div className="kept-file-body" data-testid="viewer-text">
          {file && (
            <CodeMirror
              value={text}
              readOnly
              theme={dark ? 'dark' : 'light'}
              height="100%"
              extensions={extensions}
              basicSetup={{ lineNumbers: true, foldGutter: false, highlightActiveLine: false, searchKeymap: true, autocompletion: false }}
            />
          )}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" disabled={!file} onClick={() => void copyText(text)} data-testid="viewer-copy">
            {t('action.copy')}
          </button>
          {kept && (
            <>
              <button type="button" className="btn" onClick={() => void openPath(path, 'reveal')} data-testid="viewer-show-in-folder">
                {t('action.showInFolder')}
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void openInEditor(path)} data-testid="viewer-open-in-editor">
                {t('debug.openInEditor')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  )
}
