// The main process's end of a debug session: a TCP server on 127.0.0.1 (a random port) that accepts exactly
// one connection, the one whose first message carries this session's one-time token. Every later line is
// checked (protocol.ts); a message of the wrong shape is refused and logged, never passed on.
import type { ErrorMessage } from '../../../shared/error-messages'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import type { z } from 'zod'
import { parseMessage, PROTOCOL_VERSION, type BootstrapEvent } from './protocol'

const REQUEST_TIMEOUT_MS = 60_000

export class DebugRequestError extends Error {
  constructor(
    message: string,
    /** The window's form, for the refusals a person can cause; the debugger's own failures stay English. */
    readonly explanation?: ErrorMessage
  ) {
    super(message)
    this.name = 'DebugRequestError'
  }
}

interface Pending {
  resolve: (body: unknown) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export interface ChannelHooks {
  onEvent: (event: BootstrapEvent) => void
  /** A refused connection or message, for the session's log. */
  onRejected: (why: string) => void
}

export class DebugChannel {
  readonly token = randomBytes(24).toString('hex')
  private server: Server | null = null
  private socket: Socket | null = null
  private seq = 0
  private readonly pending = new Map<number, Pending>()
  private readonly connected: Promise<void>
  private markConnected!: () => void
  private buffer = ''

  constructor(private readonly hooks: ChannelHooks) {
    this.connected = new Promise((resolve) => (this.markConnected = resolve))
  }

  /** Starts listening; resolves to the port the bootstrap is told. */
  listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket))
    this.server = server
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
    })
  }

  /** Resolves once the bootstrap has connected and proved its token; rejects when `gone` settles first. */
  whenConnected(gone: Promise<unknown>): Promise<void> {
    return Promise.race([
      this.connected,
      gone.then(() => {
        throw new DebugRequestError('The step ended before the debugger could attach to it.')
      })
    ])
  }

  private accept(socket: Socket): void {
    if (this.socket) {
      this.hooks.onRejected('refused a second connection to the debugger')
      socket.destroy()
      return
    }
    socket.setEncoding('utf8')
    let first = ''
    const onHello = (chunk: string): void => {
      first += chunk
      const end = first.indexOf('\n')
      if (end < 0) {
        if (first.length > 4096) refuse('a first message without an end')
        return
      }
      socket.off('data', onHello)
      const parsed = parseMessage(first.slice(0, end))
      if (!parsed.ok || parsed.message.type !== 'hello' || !sameToken(parsed.message.token, this.token)) {
        return refuse(parsed.ok ? 'a connection without this session’s token' : parsed.why)
      }
      this.socket = socket
      this.server?.close()
      socket.on('data', (more: string) => this.receive(more))
      socket.on('close', () => this.failPending('The step’s process ended.'))
      this.receive(first.slice(end + 1))
      this.markConnected()
    }
    const refuse = (why: string): void => {
      this.hooks.onRejected(`refused a connection: ${why}`)
      socket.destroy()
    }
    socket.on('data', onHello)
    socket.on('error', () => undefined)
  }

  private receive(chunk: string): void {
    this.buffer += chunk
    let end: number
    while ((end = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + 1)
      if (line.trim()) this.handle(line)
    }
  }

  /** One line from the bootstrap (public for tests of refused messages). */
  handle(line: string): void {
    const parsed = parseMessage(line)
    if (!parsed.ok) return this.hooks.onRejected(`refused a debugger message: ${parsed.why}`)
    const message = parsed.message
    if (message.type === 'event') return this.hooks.onEvent(message)
    if (message.type === 'hello') return this.hooks.onRejected('refused a second hello')
    const waiting = this.pending.get(message.request_seq)
    if (!waiting) return this.hooks.onRejected(`refused an answer to no request (${message.request_seq})`)
    this.pending.delete(message.request_seq)
    clearTimeout(waiting.timer)
    if (message.success) waiting.resolve(message.body ?? {})
    else waiting.reject(new DebugRequestError(message.message ?? `${message.command} failed`))
  }

  /** Sends a request and resolves to its answer's body, checked against `schema`. */
  async request<S extends z.ZodType>(command: string, args: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const socket = this.socket
    if (!socket || socket.destroyed) throw new DebugRequestError('The debugger is not connected to the step.')
    const seq = ++this.seq
    const body = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq)
        reject(new DebugRequestError(`The step did not answer ${command} within ${REQUEST_TIMEOUT_MS / 1000} s.`))
      }, REQUEST_TIMEOUT_MS)
      this.pending.set(seq, { resolve, reject, timer })
      socket.write(`${JSON.stringify({ v: PROTOCOL_VERSION, seq, type: 'request', command, args })}\n`)
    })
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      this.hooks.onRejected(`refused the answer to ${command}: ${parsed.error.issues[0]?.message ?? 'wrong shape'}`)
      throw new DebugRequestError(`The step's debugger answered ${command} with a message of the wrong shape.`)
    }
    return parsed.data
  }

  private failPending(why: string): void {
    for (const [seq, waiting] of this.pending) {
      clearTimeout(waiting.timer)
      waiting.reject(new DebugRequestError(why))
      this.pending.delete(seq)
    }
  }

  close(): void {
    this.server?.close()
    this.socket?.destroy()
    this.failPending('The debug session ended.')
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
