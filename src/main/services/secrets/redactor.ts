// Replaces secret values by *** in text, in one pass whatever the number of secrets (Aho-Corasick over
// UTF-16 code units), and on a stream: a value cut between two chunks of a step's stderr is still found,
// because only the end that could begin a value is held back until the next chunk.
import { secretForms } from './secret-forms'

export const REDACTED = '***'

interface Automaton {
  next: Map<number, number>[]
  fail: number[]
  /** Length of the longest pattern ending at this node (through its failure links), 0 for none. */
  out: number[]
  depth: number[]
}

function build(patterns: string[]): Automaton {
  const a: Automaton = { next: [new Map()], fail: [0], out: [0], depth: [0] }
  for (const p of patterns) {
    let node = 0
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i)
      let to = a.next[node].get(c)
      if (to === undefined) {
        to = a.next.length
        a.next.push(new Map())
        a.fail.push(0)
        a.out.push(0)
        a.depth.push(a.depth[node] + 1)
        a.next[node].set(c, to)
      }
      node = to
    }
    a.out[node] = Math.max(a.out[node], p.length)
  }
  // Breadth first, so every node's failure target is done before it.
  const queue: number[] = [...a.next[0].values()]
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]
    for (const [c, child] of a.next[node]) {
      let f = a.fail[node]
      while (f && !a.next[f].has(c)) f = a.fail[f]
      const target = a.next[f].get(c)
      a.fail[child] = target !== undefined && target !== child ? target : 0
      a.out[child] = Math.max(a.out[child], a.out[a.fail[child]])
      queue.push(child)
    }
  }
  return a
}

function step(a: Automaton, node: number, c: number): number {
  while (node && !a.next[node].has(c)) node = a.fail[node]
  return a.next[node].get(c) ?? 0
}

/** Redacts one stream of text (a step's stderr) chunk by chunk; what it returns is final. */
export class StreamRedactor {
  private pending = ''
  private state = 0
  /** Matched ranges of `pending`, merged, in order. */
  private ranges: [number, number][] = []

  constructor(private readonly a: Automaton) {}

  write(chunk: string): string {
    if (!chunk) return ''
    const text = this.pending + chunk
    for (let i = this.pending.length; i < text.length; i++) {
      this.state = step(this.a, this.state, text.charCodeAt(i))
      const len = this.a.out[this.state]
      if (len) this.addRange(i + 1 - len, i + 1)
    }
    // What is held back: the longest end of the text that could still begin a secret, and a match it cuts.
    let cut = text.length - this.a.depth[this.state]
    for (const [s, e] of this.ranges) if (s < cut && e > cut) cut = s
    return this.emit(text, cut)
  }

  end(): string {
    const out = this.emit(this.pending, this.pending.length)
    this.state = 0
    return out
  }

  private addRange(s: number, e: number): void {
    let start = s
    let stop = e
    while (this.ranges.length && this.ranges[this.ranges.length - 1][1] >= start) {
      const [ps, pe] = this.ranges.pop()!
      start = Math.min(start, ps)
      stop = Math.max(stop, pe)
    }
    this.ranges.push([start, stop])
  }

  private emit(text: string, cut: number): string {
    const parts: string[] = []
    let at = 0
    const kept: [number, number][] = []
    for (const [s, e] of this.ranges) {
      if (e <= cut) {
        parts.push(text.slice(at, s), REDACTED)
        at = e
      } else kept.push([s - cut, e - cut])
    }
    parts.push(text.slice(at, cut))
    this.pending = text.slice(cut)
    this.ranges = kept
    return parts.join('')
  }
}

export interface Redactor {
  redact(text: string): string
  stream(): StreamRedactor
}

/** A redactor of these secret values (in every form a script may print them), or null when there are none. */
export function createRedactor(values: Iterable<string>): Redactor | null {
  const patterns = [...new Set([...values].flatMap(secretForms))]
  if (!patterns.length) return null
  const a = build(patterns)
  return {
    redact(text) {
      const s = new StreamRedactor(a)
      return s.write(text) + s.end()
    },
    stream: () => new StreamRedactor(a)
  }
}
