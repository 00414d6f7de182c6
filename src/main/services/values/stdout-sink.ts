// A step's stdout as it arrives. Up to SPILL_BYTES it is kept in memory, as before; past that it goes to
// a file beside the database, a piece at a time, and is read back from there a piece at a time: a 500 MB
// output costs a few MB of memory, not three copies of itself. Secrets are taken out on the way in either way.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { SPILL_BYTES } from '../../../shared/json-text'
import type { Redactor, StreamRedactor } from '../secrets'

export type CollectedStdout = { kind: 'memory'; text: string } | { kind: 'file'; path: string; bytes: number }

export class StdoutSink {
  private chunks: Buffer[] = []
  private size = 0
  private fd: number | null = null
  private written = 0
  private redacting: { decoder: StringDecoder; stream: StreamRedactor } | null = null
  /** Set once the output passed the limit: what came after is dropped and the step is stopped. */
  overLimit = false
  failure: string | null = null

  constructor(
    /** Where the output goes once it is too big for memory. */
    private readonly spillPath: string,
    private readonly redactor: Redactor | null,
    private readonly limitBytes: number,
    /** Called once when the output passes the limit. */
    private readonly onOverLimit: () => void
  ) {}

  write(chunk: Buffer): void {
    if (this.overLimit || this.failure) return
    this.size += chunk.length
    if (this.size > this.limitBytes) {
      this.overLimit = true
      this.onOverLimit()
      return
    }
    if (this.fd === null) {
      this.chunks.push(chunk)
      if (this.size <= SPILL_BYTES) return
      this.spill()
      return
    }
    this.toFile(chunk)
  }

  /** The output, once the stream ended; throws when it could not be kept whole (the file could not be written). */
  end(): CollectedStdout {
    if (this.failure) {
      // Never the first megabyte passed off as the whole output.
      this.chunks = []
      if (this.fd !== null) closeSync(this.fd)
      this.fd = null
      throw new Error(this.failure)
    }
    if (this.fd === null) {
      const text = Buffer.concat(this.chunks).toString('utf8')
      this.chunks = []
      return { kind: 'memory', text: this.redactor ? this.redactor.redact(text) : text }
    }
    if (this.redacting) {
      const rest = this.redacting.stream.write(this.redacting.decoder.end()) + this.redacting.stream.end()
      if (rest) this.put(Buffer.from(rest, 'utf8'))
    }
    closeSync(this.fd)
    this.fd = null
    if (this.failure) throw new Error(this.failure)
    return { kind: 'file', path: this.spillPath, bytes: this.written }
  }

  /** Where the output goes once it is too big for memory (removed by the caller when it is not kept). */
  get path(): string {
    return this.spillPath
  }

  private spill(): void {
    try {
      mkdirSync(dirname(this.spillPath), { recursive: true })
      this.fd = openSync(this.spillPath, 'w')
    } catch (err) {
      this.failure = `its output (over ${SPILL_BYTES / (1 << 20)} MB) could not be written to ${this.spillPath}: ${(err as Error).message}`
      return
    }
    if (this.redactor) this.redacting = { decoder: new StringDecoder('utf8'), stream: this.redactor.stream() }
    const held = this.chunks
    this.chunks = []
    for (const c of held) this.toFile(c)
  }

  private toFile(chunk: Buffer): void {
    if (!this.redacting) return this.put(chunk)
    const text = this.redacting.stream.write(this.redacting.decoder.write(chunk))
    if (text) this.put(Buffer.from(text, 'utf8'))
  }

  private put(bytes: Buffer): void {
    if (this.fd === null || this.failure) return
    try {
      // Synchronous: a piece is at most a pipe's read (64 KB), and the order of pieces is then certain.
      writeSync(this.fd, bytes)
      this.written += bytes.length
    } catch (err) {
      this.failure = `its output could not be written to ${this.spillPath}: ${(err as Error).message}`
    }
  }
}
