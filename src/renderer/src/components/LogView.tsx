// A step's log, virtualized: only the visible lines are in the DOM, so 50,000 lines scroll smoothly.
// It follows new lines while the person is at the bottom and stops following once they scroll up. A
// running step's progress bar (a line it redraws with `\r`) is one last row, rewritten in place.
import { useEffect, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useT } from '../i18n/use-t'
import { scriptFrameOf } from '../lib/traceback'

const ROW_HEIGHT = 18

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
  const count = lines.length + (progress === null ? 0 : 1)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20
  })

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
    <div className="log-view" data-testid={testid}>
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
              const isProgress = item.index === lines.length
              const text = isProgress ? (progress ?? '') : lines[item.index]
              const frame = onJump && !isProgress ? scriptFrameOf(text, stepOrder) : null
              const warn = text.startsWith('[stepwise]')
              return (
                <div
                  key={item.key}
                  className={`log-line${warn ? ' log-note' : ''}${frame !== null ? ' log-frame' : ''}${isProgress ? ' log-progress' : ''}`}
                  data-testid="log-line"
                  data-progress={isProgress || undefined}
                  aria-hidden={isProgress || undefined}
                  style={{ position: 'absolute', top: 0, left: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  <span className="log-no" aria-hidden="true">
                    {item.index + 1 + droppedLines}
                  </span>
                  {frame !== null ? (
                    <button
                      type="button"
                      className="link"
                      onClick={() => onJump!(frame)}
                      title={t('traceback.jump', { line: frame })}
                      data-testid="log-jump"
                    >
                      {text}
                    </button>
                  ) : (
                    <span>{text}</span>
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
