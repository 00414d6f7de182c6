// Pane sizes are a habit of this window, not of a workflow: they live in its localStorage and survive
// restarts. A stored size outside the allowed range (a smaller screen since) is clamped, never trusted.
import { useCallback, useState } from 'react'

export interface PaneSize {
  size: number
  collapsed: boolean
  setSize: (px: number) => void
  setCollapsed: (collapsed: boolean) => void
}

const PREFIX = 'stepwise.pane.'

function read(key: string): { size?: number; collapsed?: boolean } {
  try {
    const raw = globalThis.localStorage?.getItem(PREFIX + key)
    return raw ? (JSON.parse(raw) as { size?: number; collapsed?: boolean }) : {}
  } catch {
    return {}
  }
}

export function clampSize(px: number, min: number, max: number): number {
  return Math.round(Math.min(max, Math.max(min, px)))
}

export function usePaneSize(key: string, initial: number, min: number, max: number): PaneSize {
  const [state, setState] = useState(() => {
    const stored = read(key)
    return {
      size: clampSize(typeof stored.size === 'number' ? stored.size : initial, min, max),
      collapsed: stored.collapsed === true
    }
  })
  const save = useCallback(
    (next: { size: number; collapsed: boolean }) => {
      setState(next)
      try {
        globalThis.localStorage?.setItem(PREFIX + key, JSON.stringify(next))
      } catch {
        // A full or disabled storage only loses the remembered size.
      }
    },
    [key]
  )
  return {
    ...state,
    setSize: (px) => save({ size: clampSize(px, min, max), collapsed: false }),
    setCollapsed: (collapsed) => save({ ...state, collapsed })
  }
}
