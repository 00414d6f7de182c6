// The step's Python code in CodeMirror 6: Python highlighting, line numbers, search (Ctrl+F), 4-space
// indentation. A jump request (from a traceback) moves the cursor to that line and marks it until the
// next edit, so the person sees at once where the error was raised.
import { useEffect, useMemo, useRef } from 'react'
import CodeMirror, {
  Decoration,
  EditorView,
  StateEffect,
  StateField,
  type DecorationSet,
  type ReactCodeMirrorRef
} from '@uiw/react-codemirror'
import { python } from '@codemirror/lang-python'
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { codeMirrorCsp } from '../lib/csp'
import { breakpointGutter, pausedLineField, setBreakpoints, setPausedLine, type GutterBreakpoint } from './debug-gutter'

const setMarkedLine = StateEffect.define<number | null>()
const markedLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setMarkedLine)) {
        if (e.value === null) return Decoration.none
        const line = tr.state.doc.line(Math.min(Math.max(1, e.value), tr.state.doc.lines))
        return Decoration.set([Decoration.line({ class: 'cm-error-line', attributes: { 'data-testid': 'error-line' } }).range(line.from)])
      }
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes)
  },
  provide: (f) => EditorView.decorations.from(f)
})

// CodeMirror's light token colours, except the three that fall under 4.5:1 on white or on the active
// line (its orange for f-string braces and escapes, its red for invalid code, its green for type names).
const READABLE: Record<string, string> = { '#e40': '#b83a00', '#f00': '#c00000', '#085': '#007a4c' }
export const readableLightHighlight = syntaxHighlighting(
  HighlightStyle.define(
    defaultHighlightStyle.specs.map((spec) => (spec.color && READABLE[spec.color] ? { ...spec, color: READABLE[spec.color] } : spec))
  )
)

export function CodeEditor({
  value,
  onChange,
  dark,
  jumpLine,
  jumpNonce,
  label,
  breakpoints,
  onToggleBreakpoint,
  pausedLine = null
}: {
  value: string
  onChange: (value: string) => void
  dark: boolean
  jumpLine: number | null
  jumpNonce: number | null
  label: string
  /** With onToggleBreakpoint: the breakpoint gutter (click, F9) and these lines marked in it. */
  breakpoints?: GutterBreakpoint[]
  onToggleBreakpoint?: (line: number) => void
  /** The line a debugged step is paused at, highlighted and scrolled into view. */
  pausedLine?: number | null
}) {
  const ref = useRef<ReactCodeMirrorRef>(null)
  const toggle = useRef<(line: number) => void>(() => undefined)
  toggle.current = onToggleBreakpoint ?? (() => undefined)
  const withGutter = !!onToggleBreakpoint
  // tabindex: the editable content is already a tab stop, but saying so lets checkers see that the
  // scrolling area around it can be reached from the keyboard.
  const extensions = useMemo(
    () => [
      python(),
      markedLine,
      pausedLineField,
      ...(withGutter ? breakpointGutter(toggle) : []),
      codeMirrorCsp,
      EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
      ...(dark ? [] : [readableLightHighlight])
    ],
    [label, dark, withGutter]
  )

  // The view may be created after the first render: the marks are applied once it exists, and again on change.
  const bpKey = JSON.stringify(breakpoints ?? [])
  useEffect(() => {
    let tries = 0
    const apply = () => {
      const view = ref.current?.view
      if (!view) {
        if (tries++ < 20) requestAnimationFrame(apply)
        return
      }
      const effects: StateEffect<unknown>[] = [setPausedLine.of(pausedLine)]
      if (withGutter) effects.push(setBreakpoints.of(JSON.parse(bpKey) as GutterBreakpoint[]))
      if (pausedLine !== null && pausedLine <= view.state.doc.lines) {
        effects.push(EditorView.scrollIntoView(view.state.doc.line(Math.max(1, pausedLine)).from, { y: 'center' }))
      }
      view.dispatch({ effects })
    }
    apply()
  }, [bpKey, pausedLine, withGutter, extensions])

  useEffect(() => {
    if (jumpLine === null || jumpNonce === null) return
    let tries = 0
    // The editor may mount in the same frame as the request (switching steps): wait for its view.
    const go = () => {
      const view = ref.current?.view
      if (!view) {
        if (tries++ < 20) requestAnimationFrame(go)
        return
      }
      const line = view.state.doc.line(Math.min(Math.max(1, jumpLine), view.state.doc.lines))
      view.dispatch({
        selection: { anchor: line.from, head: line.to },
        effects: [setMarkedLine.of(jumpLine), EditorView.scrollIntoView(line.from, { y: 'center' })]
      })
      view.focus()
    }
    go()
  }, [jumpLine, jumpNonce])

  return (
    <div className="code-editor" data-testid="code-editor">
      <CodeMirror
        ref={ref}
        value={value}
        onChange={onChange}
        theme={dark ? 'dark' : 'light'}
        height="100%"
        extensions={extensions}
        // Tab indents, as in any code editor; Esc then Tab still leaves (CodeMirror's escape hatch).
        indentWithTab
        basicSetup={{
          lineNumbers: true,
          foldGutter: true,
          highlightActiveLine: true,
          searchKeymap: true,
          indentOnInput: true,
          tabSize: 4,
          autocompletion: true,
          bracketMatching: true
        }}
      />
    </div>
  )
}
