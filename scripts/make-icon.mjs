// Draws the Stepwise app icon (a staircase climbed by a dot, on a rounded indigo square) and writes
// resources/icon.png (512x512, what electron-builder derives the macOS and Linux icons from) and
// resources/icon.ico (PNG-compressed 256/48/32/16 entries for the Windows installer and exe).
// Node's standard library only, so the icon can be regenerated on any machine: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

// Shapes in unit coordinates (0..1, y down). Coverage is sampled SS x SS times per pixel for smooth edges.
const SS = 4
const CORNER = 0.2
const STEPS = [
  [0.2, 0.62, 0.42, 0.8],
  [0.4, 0.46, 0.62, 0.8],
  [0.6, 0.3, 0.8, 0.8]
]
const DOT = { x: 0.31, y: 0.49, r: 0.075 }
const TOP = [99, 102, 241] // indigo
const BOTTOM = [67, 56, 202]

function insideRoundedSquare(x, y) {
  const cx = Math.min(Math.max(x, CORNER), 1 - CORNER)
  const cy = Math.min(Math.max(y, CORNER), 1 - CORNER)
  return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER ** 2
}

function insideMark(x, y) {
  if ((x - DOT.x) ** 2 + (y - DOT.y) ** 2 <= DOT.r ** 2) return true
  return STEPS.some(([x0, y0, x1, y1]) => x >= x0 && x <= x1 && y >= y0 && y <= y1)
}

function render(size) {
  const rgba = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0
      let mark = 0
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / size
          const y = (py + (sy + 0.5) / SS) / size
          if (!insideRoundedSquare(x, y)) continue
          bg++
          if (insideMark(x, y)) mark++
        }
      }
      const n = SS * SS
      const t = py / (size - 1)
      const base = TOP.map((c, i) => c + (BOTTOM[i] - c) * t)
      const m = bg ? mark / bg : 0
      const o = (py * size + px) * 4
      for (let i = 0; i < 3; i++) rgba[o + i] = Math.round(base[i] * (1 - m) + 255 * m)
      rgba[o + 3] = Math.round((255 * bg) / n)
    }
  }
  return rgba
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf) {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

export function png(size) {
  const rgba = render(size)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  // Each scanline starts with its filter type (0: none).
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** An .ico whose entries are whole PNG files (supported since Windows Vista). */
export function ico(sizes) {
  const images = sizes.map((s) => png(s))
  const header = Buffer.alloc(6)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  let offset = 6 + 16 * images.length
  const entries = images.map((img, i) => {
    const e = Buffer.alloc(16)
    e[0] = sizes[i] >= 256 ? 0 : sizes[i] // 0 means 256
    e[1] = sizes[i] >= 256 ? 0 : sizes[i]
    e.writeUInt16LE(1, 4) // colour planes
    e.writeUInt16LE(32, 6) // bits per pixel
    e.writeUInt32LE(img.length, 8)
    e.writeUInt32LE(offset, 12)
    offset += img.length
    return e
  })
  return Buffer.concat([header, ...entries, ...images])
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(root, 'resources')
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'icon.png'), png(512))
  writeFileSync(join(out, 'icon.ico'), ico([256, 48, 32, 16]))
  console.log(`wrote ${join(out, 'icon.png')} and ${join(out, 'icon.ico')}`)
}
