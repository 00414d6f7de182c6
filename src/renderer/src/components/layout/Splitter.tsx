// A drag handle between two panes, usable without a mouse: focus it, then arrows resize (Shift for big
// steps), Home/End go to the limits and Enter collapses or restores the pane (as in VS Code's sash).
import type { KeyboardEvent, PointerEvent } from 'react'
import type { PaneSize } from '../../lib/pane-size'
import './layout.css'

const STEP = 16

export function Splitter({
  pane,
  min,
  max,
  orientation,
  label,
  testid,
  grow = 1,
  onToggleCollapse
}: {
  pane: PaneSize
  min: number
  max: number
  /** vertical: a handle between columns (drag left/right); horizontal: between rows. */
  orientation: 'vertical' | 'horizontal'
  label: string
  testid: string
  /** Collapsing handled by the pane's owner (e.g. a panel with its own open state). */
  onToggleCollapse?: () => void
  /** +1 when dragging right/down grows the pane, -1 when it shrinks it (a pane below the handle). */
  grow?: 1 | -1
}) {
  const value = pane.collapsed ? min : pane.size
  const toggle = onToggleCollapse ?? (() => pane.setCollapsed(!pane.collapsed))
  const onKey = (e: KeyboardEvent) => {
    const big = e.shiftKey ? STEP * 4 : STEP
    const less = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp'
    const more = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown'
    if (e.key === less || e.key === more) {
      e.preventDefault()
      pane.setSize(pane.size + (e.key === more ? big : -big) * grow)
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      pane.setSize(e.key === 'Home' ? min : max)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      toggle()
    }
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    e.preventDefault()
    const el = e.currentTarget
    el.setPointerCapture(e.pointerId)
    const start = orientation === 'vertical' ? e.clientX : e.clientY
    const from = pane.collapsed ? min : pane.size
    const move = (ev: globalThis.PointerEvent) => {
      const at = orientation === 'vertical' ? ev.clientX : ev.clientY
      pane.setSize(from + (at - start) * grow)
    }
    const up = () => {
      el.removeEventListener('pointermove', move)
      el.removeEventListener('pointerup', up)
      el.removeEventListener('pointercancel', up)
    }
    el.addEventListener('pointermove', move)
    el.addEventListener('pointerup', up)
    el.addEventListener('pointercancel', up)
  }
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      tabIndex={0}
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      data-testid={testid}
      onKeyDown={onKey}
      onPointerDown={onPointerDown}
      onDoubleClick={toggle}
    />
  )
}
