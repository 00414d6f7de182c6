// Windows console tools (py, reg, chcp) print in the console's OEM code page, not UTF-8: cp949 on a Korean
// Windows, cp932 in Japan, cp437/cp850 in the West. Output is read as UTF-8 when it is valid UTF-8 (the
// install manager, a console set to 65001) and decoded with the OEM code page otherwise, so a path like
// C:\Users\홍길동 reaches the locators intact.
import type { DiscoveryEnv } from './discovery-env'

/** WHATWG names of the OEM and ANSI code pages Node's TextDecoder knows. */
const CODE_PAGE_LABELS: Record<number, string> = {
  866: 'ibm866',
  874: 'windows-874',
  932: 'shift_jis',
  936: 'gbk',
  949: 'euc-kr',
  950: 'big5',
  1250: 'windows-1250',
  1251: 'windows-1251',
  1252: 'windows-1252',
  1253: 'windows-1253',
  1254: 'windows-1254',
  1255: 'windows-1255',
  1256: 'windows-1256',
  1257: 'windows-1257',
  1258: 'windows-1258',
  20866: 'koi8-r',
  54936: 'gb18030',
  65001: 'utf-8'
}

// TextDecoder has no DOS code pages, yet 437 (US) and 850 (Western Europe) are the OEM pages of most
// non-Asian Windows installs; their upper halves, as Python's codecs define them.
const DOS_UPPER_HALVES: Record<number, string> = {
  437: '\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00a2\u00a3\u00a5\u20a7\u0192\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u2310\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255d\u255c\u255b\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u255e\u255f\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256b\u256a\u2518\u250c\u2588\u2584\u258c\u2590\u2580\u03b1\u00df\u0393\u03c0\u03a3\u03c3\u00b5\u03c4\u03a6\u0398\u03a9\u03b4\u221e\u03c6\u03b5\u2229\u2261\u00b1\u2265\u2264\u2320\u2321\u00f7\u2248\u00b0\u2219\u00b7\u221a\u207f\u00b2\u25a0\u00a0',
  850: '\u00c7\u00fc\u00e9\u00e2\u00e4\u00e0\u00e5\u00e7\u00ea\u00eb\u00e8\u00ef\u00ee\u00ec\u00c4\u00c5\u00c9\u00e6\u00c6\u00f4\u00f6\u00f2\u00fb\u00f9\u00ff\u00d6\u00dc\u00f8\u00a3\u00d8\u00d7\u0192\u00e1\u00ed\u00f3\u00fa\u00f1\u00d1\u00aa\u00ba\u00bf\u00ae\u00ac\u00bd\u00bc\u00a1\u00ab\u00bb\u2591\u2592\u2593\u2502\u2524\u00c1\u00c2\u00c0\u00a9\u2563\u2551\u2557\u255d\u00a2\u00a5\u2510\u2514\u2534\u252c\u251c\u2500\u253c\u00e3\u00c3\u255a\u2554\u2569\u2566\u2560\u2550\u256c\u00a4\u00f0\u00d0\u00ca\u00cb\u00c8\u0131\u00cd\u00ce\u00cf\u2518\u250c\u2588\u2584\u00a6\u00cc\u2580\u00d3\u00df\u00d4\u00d2\u00f5\u00d5\u00b5\u00fe\u00de\u00da\u00db\u00d9\u00fd\u00dd\u00af\u00b4\u00ad\u00b1\u2017\u00be\u00b6\u00a7\u00f7\u00b8\u00b0\u00a8\u00b7\u00b9\u00b3\u00b2\u25a0\u00a0'
}

/** The TextDecoder label of a Windows code page, or null when it has none. */
export function codePageLabel(codePage: number): string | null {
  return CODE_PAGE_LABELS[codePage] ?? null
}

function decodeDos(bytes: Uint8Array, upper: string): string {
  let text = ''
  for (const b of bytes) text += b < 0x80 ? String.fromCharCode(b) : upper[b - 0x80]
  return text
}

/** Bytes a console tool printed: UTF-8 when they are valid UTF-8, else the given code page. */
export function decodeConsoleBytes(bytes: Uint8Array, codePage: number | null): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Not UTF-8: the OEM code page below.
  }
  if (codePage !== null && DOS_UPPER_HALVES[codePage]) return decodeDos(bytes, DOS_UPPER_HALVES[codePage])
  const label = codePage === null ? null : codePageLabel(codePage)
  // An unknown code page still gives readable ASCII, with the rest replaced rather than guessed.
  return new TextDecoder(label ?? 'utf-8').decode(bytes)
}

/** The number `chcp` prints ("Active code page: 949", "활성 코드 페이지: 949"), whatever the UI language. */
export function parseChcp(output: string): number | null {
  const m = /(\d+)\D*$/.exec(output.trim())
  return m ? Number(m[1]) : null
}

const codePages = new WeakMap<DiscoveryEnv, Promise<number | null>>()

/**
 * The OEM code page of the console a child tool gets. A GUI app has no console, so its children get a new
 * hidden one with the system's OEM code page, which is what `chcp` run the same way reports. Asked once
 * per machine description.
 */
export function oemCodePage(d: DiscoveryEnv): Promise<number | null> {
  let cp = codePages.get(d)
  if (!cp) {
    cp = d
      // chcp.com: without a shell, only the full name with its extension is found.
      .run('chcp.com', [], { timeoutMs: 5000, decode: (b) => new TextDecoder('latin1').decode(b) })
      .then((r) => (r.exitCode === 0 ? parseChcp(r.stdout) : null))
      .catch(() => null)
    codePages.set(d, cp)
  }
  return cp
}

/** A decoder for a Windows tool's output on this machine. */
export async function consoleDecoder(d: DiscoveryEnv): Promise<(bytes: Uint8Array) => string> {
  const codePage = await oemCodePage(d)
  return (bytes) => decodeConsoleBytes(bytes, codePage)
}
