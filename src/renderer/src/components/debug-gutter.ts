// The code editor's debugging marks: a breakpoint gutter (click or F9 toggles the line's breakpoint) and the
// line where a debugged step is paused. Every line gets a gutter cell carrying its number, so a click (or a
// test) finds the line without measuring the page.
import { EditorView, GutterMarker, StateEffect, StateField, Decoration, gutter, keymap, type DecorationSet } from '@uiw/react-codemirror'

export interface GutterBreakpoint {
  line: number
  conditional: boolean
}

export const setBreakpoints = StateEffect.define<GutterBreakpoint[]>()
const breakpointField = StateField.define<Map<number, boolean>>({
  create: () => new Map(),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setBreakpoints)) return new Map(e.value.map((b) => [b.line, b.conditional]))
    return value
  }
})

class LineCell extends GutterMarker {
  constructor(
    readonly line: number,
    readonly state: 'none' | 'plain' | 'conditional'
  ) {
    super()
  }
  eq(other: LineCell): boolean {
    return other.line === this.line && other.state === this.state
  }
  toDOM(): Node {
    const el = document.createElement('span')
    el.className = `cm-bp cm-bp-${this.state}`
    el.dataset.breakpointLine = String(this.line)
    el.dataset.breakpoint = this.state
    el.textContent = this.state === 'none' ? '' : '●'
    return el
  }
}

export function breakpointGutter(onToggle: { current: (line: number) => void }) {
  return [
    breakpointField,
    gutter({
      class: 'cm-breakpoint-gutter',
      lineMarker(view, block) {
        const line = view.state.doc.lineAt(block.from).number
        const set = view.state.field(breakpointField)
        return new LineCell(line, set.has(line) ? (set.get(line) ? 'conditional' : 'plain') : 'none')
      },
      lineMarkerChange: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(setBreakpoints))),
      initialSpacer: () => new LineCell(0, 'plain'),
      domEventHandlers: {
        mousedown(view, block) {
          onToggle.current(view.state.doc.lineAt(block.from).number)
          return true
        }
      }
    }),
    keymap.of([
      {
        key: 'F9',
        run(view) {
          onToggle.current(view.state.doc.lineAt(view.state.selection.main.head).number)
          return true
        }
      }
    ])
  ]
}

export const setPausedLine = StateEffect.define<number | null>()
export const pausedLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (e.is(setPausedLine)) {
        if (e.value === null || e.value > tr.state.doc.lines) return Decoration.none
        const line = tr.state.doc.line(Math.max(1, e.value))
        return Decoration.set([Decoration.line({ class: 'cm-debug-line', attributes: { 'data-testid': 'debug-line' } }).range(line.from)])
      }
    }
    return deco.map(tr.changes)
  },
  provide: (f) => EditorView.decorations.from(f)
})
