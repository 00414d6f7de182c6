// scanJson's rules (Python's json.loads, NaN and Infinity included) over bytes that arrive in pieces: a
// step's output too big to hold as one string is checked and split by top-level key while it is read from
// its file, a piece at a time. Only byte offsets are kept, so memory does not grow with the value.

/** Where a value lies in the bytes scanned, and what copying it needs. */
export interface ByteRange {
  start: number
  end: number
  /** No byte above 0x7f: it can be copied into a variables file as it is. */
  ascii: boolean
  /** No NaN or Infinity outside strings: it is strict JSON as it is. */
  strict: boolean
}

export interface ScannedBytes {
  /** The whole value, surrounding whitespace left out. */
  value: ByteRange
  /** For an object: each top-level key (or each wanted one) and its value's range; a repeated key's last value, in its first place. */
  entries: Map<string, ByteRange> | null
  /** For an object: how many top-level keys it has, and the first few, for a message naming them. */
  keyCount: number
  sampleKeys: string[]
}

const SAMPLE_KEYS = 20

const enum Mode {
  Value,
  ValueOrEnd,
  Key,
  KeyOrEnd,
  Colon,
  AfterValue,
  String,
  Escape,
  Hex,
  Scalar,
  Done
}

const OBJECT = 1
const ARRAY = 2
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/
const LITERALS = new Set(['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity'])
const PYTHON_FLOATS = new Set(['NaN', 'Infinity', '-Infinity'])

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
const isScalarByte = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2b || c === 0x2d || c === 0x2e

export class JsonByteScanner {
  private mode = Mode.Value
  private readonly stack: number[] = []
  private offset = 0
  private failed = false
  private isKey = false
  private hexLeft = 0
  private scalar = ''
  private scalarStart = 0
  /** Counts so far, so a range knows whether it holds a non-ASCII byte or a Python float. */
  private nonAscii = 0
  private pythonFloats = 0
  private rootStart = -1
  private rootEnd = 0
  private entries: Map<string, ByteRange> | null = null
  private keyBytes: Buffer[] | null = null
  private key = ''
  private entryStart = 0
  private entryNonAscii = 0
  private entryFloats = 0
  private lastEnd = 0
  private keyCount = 0
  private readonly sampleKeys: string[] = []

  /** `wanted`: only these top-level keys are kept (an object of millions of keys costs their count, not their ranges). */
  constructor(private readonly wanted?: ReadonlySet<string>) {}

  /** Scans the next piece; false once the bytes can no longer be one JSON value. */
  write(chunk: Uint8Array): boolean {
    if (this.failed) return false
    const n = chunk.length
    let i = 0
    while (i < n) {
      const c = chunk[i]
      switch (this.mode) {
        case Mode.String: {
          // The bulk of a big output: run to the next quote, backslash or control character.
          let j = i
          let high = 0
          while (j < n) {
            const b = chunk[j]
            if (b === 0x22 || b === 0x5c || b < 0x20) break
            if (b > 0x7f) high++
            j++
          }
          this.nonAscii += high
          if (this.keyBytes && j > i) this.keyBytes.push(Buffer.from(chunk.subarray(i, j)))
          if (j === n) {
            i = n
            continue
          }
          const b = chunk[j]
          if (this.keyBytes) this.keyBytes.push(Buffer.from([b]))
          if (b === 0x22) this.endString(this.offset + j + 1)
          else if (b === 0x5c) this.mode = Mode.Escape
          else return this.fail()
          i = j + 1
          continue
        }
        case Mode.Escape:
          if (this.keyBytes) this.keyBytes.push(Buffer.from([c]))
          if (c === 0x75) {
            this.mode = Mode.Hex
            this.hexLeft = 4
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74)
            this.mode = Mode.String
          else return this.fail()
          break
        case Mode.Hex:
          if (!isHex(c)) return this.fail()
          if (this.keyBytes) this.keyBytes.push(Buffer.from([c]))
          if (--this.hexLeft === 0) this.mode = Mode.String
          break
        case Mode.Scalar:
          if (isScalarByte(c)) {
            this.scalar += String.fromCharCode(c)
            break
          }
          if (!this.endScalar()) return this.fail()
          continue
        default:
          if (isWs(c)) break
          if (!this.structural(c, this.offset + i)) return this.fail()
      }
      i++
    }
    this.offset += n
    return true
  }

  /** The input ended: the scan of one whole value, or null when it is not one. */
  end(): ScannedBytes | null {
    if (this.failed) return null
    if (this.mode === Mode.Scalar && !this.endScalar()) return null
    if (this.mode !== Mode.Done) return null
    return {
      value: { start: this.rootStart, end: this.rootEnd, ascii: this.nonAscii === 0, strict: this.pythonFloats === 0 },
      entries: this.entries,
      keyCount: this.keyCount,
      sampleKeys: this.sampleKeys
    }
  }

  private fail(): false {
    this.failed = true
    return false
  }

  /** A byte that starts or ends something, outside strings and scalars. */
  private structural(c: number, at: number): boolean {
    switch (this.mode) {
      case Mode.Value:
      case Mode.ValueOrEnd:
        if (this.mode === Mode.ValueOrEnd && c === 0x5d) return this.close(ARRAY, at)
        return this.startValue(c, at)
      case Mode.Key:
      case Mode.KeyOrEnd:
        if (this.mode === Mode.KeyOrEnd && c === 0x7d) return this.close(OBJECT, at)
        if (c !== 0x22) return false
        this.isKey = true
        if (this.stack.length === 1 && this.entries) this.keyBytes = [Buffer.from([c])]
        this.mode = Mode.String
        return true
      case Mode.Colon:
        if (c !== 0x3a) return false
        this.mode = Mode.Value
        if (this.stack.length === 1 && this.entries) {
          this.entryStart = -1
          this.entryNonAscii = this.nonAscii
          this.entryFloats = this.pythonFloats
        }
        return true
      case Mode.AfterValue: {
        const top = this.stack[this.stack.length - 1]
        if (c === 0x2c) {
          this.recordEntry()
          this.mode = top === OBJECT ? Mode.Key : Mode.Value
          return true
        }
        if (c === 0x7d) return this.close(OBJECT, at)
        if (c === 0x5d) return this.close(ARRAY, at)
        return false
      }
      default:
        return false
    }
  }

  private startValue(c: number, at: number): boolean {
    if (this.rootStart < 0) {
      this.rootStart = at
      if (c === 0x7b) this.entries = new Map()
    }
    if (this.stack.length === 1 && this.entries && this.entryStart < 0) this.entryStart = at
    if (c === 0x7b) {
      this.stack.push(OBJECT)
      this.mode = Mode.KeyOrEnd
    } else if (c === 0x5b) {
      this.stack.push(ARRAY)
      this.mode = Mode.ValueOrEnd
    } else if (c === 0x22) {
      this.isKey = false
      this.mode = Mode.String
    } else if (isScalarByte(c)) {
      this.scalar = String.fromCharCode(c)
      this.scalarStart = at
      this.mode = Mode.Scalar
    } else return false
    return true
  }

  private endString(after: number): void {
    if (this.isKey) {
      if (this.keyBytes) {
        this.key = JSON.parse(Buffer.concat(this.keyBytes).toString('utf8')) as string
        this.keyBytes = null
      }
      this.mode = Mode.Colon
    } else this.valueEnded(after)
  }

  private endScalar(): boolean {
    const token = this.scalar
    if (!LITERALS.has(token) && !NUMBER.test(token)) return false
    if (PYTHON_FLOATS.has(token)) this.pythonFloats++
    this.valueEnded(this.scalarStart + token.length)
    return true
  }

  private close(kind: number, at: number): boolean {
    if (this.stack[this.stack.length - 1] !== kind) return false
    if (this.stack.length === 1) this.recordEntry()
    this.stack.pop()
    this.valueEnded(at + 1)
    return true
  }

  private valueEnded(after: number): void {
    this.lastEnd = after
    if (this.stack.length) {
      this.mode = Mode.AfterValue
      return
    }
    this.rootEnd = after
    this.mode = Mode.Done
  }

  /** At depth 1 of the root object, after a value: its key and range. */
  private recordEntry(): void {
    if (this.stack.length !== 1 || !this.entries || this.mode !== Mode.AfterValue) return
    this.keyCount++
    if (this.sampleKeys.length < SAMPLE_KEYS) this.sampleKeys.push(this.key)
    if (this.wanted && !this.wanted.has(this.key)) return
    this.entries.set(this.key, {
      start: this.entryStart,
      end: this.lastEnd,
      ascii: this.nonAscii === this.entryNonAscii,
      strict: this.pythonFloats === this.entryFloats
    })
  }
}
