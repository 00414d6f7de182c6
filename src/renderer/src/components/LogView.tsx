// A step's log, virtualized: only the visible lines are in the DOM, so 50,000 lines scroll smoothly.
// It follows new lines while the person is at the bottom and stops following once they scroll up. A
// running step's progress bar (a line it redraws with `\r`) is one last row, rewritten in place.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useT } from '../i18n/use-t'
import { scriptFrameOf } from '../lib/traceback'

const ROW_HEIGHT = 18
const WRAP_KEY = 'stepwise.log.wrap'

function storedWrap(): boolean {
  try {
    return globalThis.localStorage?.getItem(WRAP_KEY) === '1'
  } catch {
    return false
  }
}

/** The text split around each case-insensitive occurrence of the query, hits marked. */
function highlighted(text: string, query: string) {
  if (!query) return text
  const parts: ReactNode[] = []
  const lower = text.toLowerCase()
  const q = query.toLowerCase()
  let at = 0
  for (let i = lower.indexOf(q); i !== -1; i = lower.indexOf(q, at)) {
    if (i > at) parts.push(text.slice(at, i))
    parts.push(
      <mark key={i} className="log-hit">
        {text.slice(i, i + q.length)}
      </mark>
    )
    at = i + q.length
  }
  if (at < text.length) parts.push(text.slice(at))
  return parts
}

export function LogView({
  lines,
  version,
  droppedLines,
  stepOrder,
  onJump,
  testid = 'log-view',
  emptyText,
  progress = null
}: {
  lines: readonly string[]
  /** The line being redrawn now, shown after `lines` until its final text arrives as a line. */
  progress?: string | null
  /** Changes whenever `lines` grows; the array itself is appended in place. */
  version: number
  droppedLines: number
  stepOrder: number
  onJump?: (line: number) => void
  testid?: string
  emptyText: string
}) {
  const { t } = useT()
  const scrollRef = useRef<HTMLDivElement>(null)
  const [follow, setFollow] = useState(true)
  const [query, setQuery] = useState('')
  const [wrap, setWrap] = useState(storedWrap)
  // Searching shows only the matching lines, keeping their numbers; the progress row is not searched.
  const matches = useMemo(() => {
    if (!query) return null
    const q = query.toLowerCase()
    const found: number[] = []
    for (let i = 0; i < lines.length; i++) if (lines[i].toLowerCase().includes(q)) found.push(i)
    return found
    // version: lines grows in place.
  }, [query, lines, version])
  const count = matches ? matches.length : lines.length + (progress === null ? 0 : 1)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20
  })
  const toggleWrap = () => {
    const next = !wrap
    setWrap(next)
    try {
      globalThis.localStorage?.setItem(WRAP_KEY, next ? '1' : '0')
    } catch {
      // Only the remembered choice is lost.
    }
    virtualizer.measure()
  }

  useEffect(() => {
    if (follow && count) virtualizer.scrollToIndex(count - 1, { align: 'end' })
  }, [version, count, follow, virtualizer])

  const onScroll = () => {
    const el = scrollRef.current
    if (!el) return
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2
    if (atBottom !== follow) setFollow(atBottom)
  }

  return (
    <div className={`log-view${wrap ? ' log-wrap' : ''}`} data-testid={testid}>
      <div className="log-tools">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={t('everyday2.log.search')}
          aria-label={t('everyday2.log.search')}
          data-testid="log-search"
        />
        {matches && (
          <span className="muted" role="status" data-testid="log-matches">
            {t('everyday2.log.matches', { count: matches.length.toLocaleString() })}
          </span>
        )}
        <button type="button" className="btn btn-small" aria-pressed={wrap} onClick={toggleWrap} data-testid="log-wrap">
          {t('everyday2.log.wrap')}
        </button>
      </div>
      {droppedLines > 0 && (
        <div className="log-dropped" data-testid="log-dropped">
          {t('log.dropped', { count: droppedLines.toLocaleString() })}
        </div>
      )}
      <div className="log-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0} role="log" aria-label={t('log.label')}>
        {count === 0 ? (
          <div className="log-empty muted">{emptyText}</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const lineIndex = matches ? matches[item.index] : item.index
              const isProgress = !matches && item.index === lines.length
              const text = isProgress ? (progress ?? '') : lines[lineIndex]
              const frame = onJump && !isProgress ? scriptFrameOf(text, stepOrder) : null
              const warn = text.startsWith('[stepwise]')
              return (
                <div
                  key={item.key}
                  ref={wrap ? virtualizer.measureElement : undefined}
                  data-index={item.index}
                  className={`log-line${warn ? ' log-note' : ''}${frame !== null ? ' log-frame' : ''}${isProgress ? ' log-progress' : ''}`}
                  data-testid="log-line"
                  data-progress={isProgress || undefined}
                  aria-hidden={isProgress || undefined}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    height: wrap ? undefined : ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`
                  }}
                >
                  <span className="log-no" aria-hidden="true">
                    {lineIndex + 1 + droppedLines}
                  </span>
                  {frame !== null ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => onJump!(frame)}
                      title={t('traceback.jump', { line: frame })}
                      data-testid="log-jump"
                    >
                      {highlighted(text, query)}
                    </button>
                  ) : (
                    <span>{highlighted(text, query)}</span>
                  )}
                </div>
              )
            })}
          </div>
        )}
      </div>
      {!follow && count > 0 && (
        <button
          type="button"
          className="btn btn-small log-follow"
          onClick={() => {
            setFollow(true)
            virtualizer.scrollToIndex(count - 1, { align: 'end' })
          }}
          data-testid="log-follow"
        >
          ↓ {t('log.follow')}
        </button>
      )}
    </div>
  )
}
