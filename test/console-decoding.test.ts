// Text from Windows tools as the bytes they really write: reg export's UTF-16LE file, and console output
// in the OEM code page (cp949 on a Korean Windows), made here by Python's own codecs.
import { describe, expect, it } from 'vitest'
import { runCommand } from '../src/main/services/command-runner'
import { decodeConsoleBytes, parseChcp } from '../src/main/services/python/console-encoding'
import { decodeRegFile, parseRegExport } from '../src/main/services/python/registry-export'
import { encodedBy, PYTHON } from './helpers/python'

const KOREAN_PATH = 'C:\\Users\\홍길동\\AppData\\Local\\Programs\\Python\\Python312\\python.exe'

describe('a reg export file', () => {
  it('is read as UTF-16LE: a Korean path in it comes out whole', () => {
    // Python's utf-16 codec writes the byte order mark first, as reg export does.
    const text = `Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath]\r\n"ExecutablePath"="${KOREAN_PATH.replace(/\\/g, '\\\\')}"\r\n`
    const bytes = encodedBy('utf-16', text)
    expect([...bytes.slice(0, 2)]).toEqual([0xff, 0xfe])
    const tree = parseRegExport(decodeRegFile(bytes))
    expect(tree.get('HKEY_CURRENT_USER\\Software\\Python\\PythonCore\\3.12\\InstallPath')?.get('ExecutablePath')).toBe(KOREAN_PATH)
  })

  it('expands REG_EXPAND_SZ written as hex(2) over continued lines', () => {
    const value = Buffer.from('%USERPROFILE%\\miniconda3\0', 'utf16le')
    const hex = [...value].map((b) => b.toString(16).padStart(2, '0'))
    const wrapped = `hex(2):${hex.slice(0, 20).join(',')},\\\r\n  ${hex.slice(20).join(',')}`
    const tree = parseRegExport(`[HKEY_CURRENT_USER\\Software\\Python\\X\\Y\\InstallPath]\r\n@=${wrapped}\r\n`, {
      USERPROFILE: 'C:\\Users\\홍길동'
    })
    expect(tree.get('HKEY_CURRENT_USER\\Software\\Python\\X\\Y\\InstallPath')?.get('')).toBe('C:\\Users\\홍길동\\miniconda3')
  })
})

describe('console output in the OEM code page', () => {
  it('decodes cp949 bytes with code page 949', () => {
    const bytes = encodedBy('cp949', ` -V:3.12 *        ${KOREAN_PATH}`)
    expect(decodeConsoleBytes(bytes, 949)).toBe(` -V:3.12 *        ${KOREAN_PATH}`)
    // Read as UTF-8, as before, the name is lost: what the code page fixes.
    expect(Buffer.from(bytes).toString('utf8')).not.toContain('홍길동')
  })

  it('keeps output that is valid UTF-8 as UTF-8, whatever the code page', () => {
    expect(decodeConsoleBytes(encodedBy('utf-8', KOREAN_PATH), 949)).toBe(KOREAN_PATH)
  })

  it('decodes the DOS code pages of Western consoles (437, 850) and the ANSI ones', () => {
    expect(decodeConsoleBytes(encodedBy('cp437', 'C:\\Users\\José'), 437)).toBe('C:\\Users\\José')
    expect(decodeConsoleBytes(encodedBy('cp850', 'C:\\Users\\Jürgen Øster'), 850)).toBe('C:\\Users\\Jürgen Øster')
    expect(decodeConsoleBytes(encodedBy('cp932', 'C:\\Users\\山田'), 932)).toBe('C:\\Users\\山田')
    expect(decodeConsoleBytes(encodedBy('cp1251', 'C:\\Users\\Иван'), 1251)).toBe('C:\\Users\\Иван')
  })

  it('reads the code page number from chcp in any UI language', () => {
    expect(parseChcp('Active code page: 949\r\n')).toBe(949)
    expect(parseChcp('활성 코드 페이지: 949\r\n')).toBe(949)
    expect(parseChcp('Page de codes active : 850\r\n')).toBe(850)
    expect(parseChcp('')).toBeNull()
  })

  it("is decoded by the command runner from a real child's bytes, even split across reads", async () => {
    // The child writes the cp949 bytes one at a time, so a two-byte character arrives in two chunks.
    const code = [
      'import sys, time',
      "data = sys.argv[1].encode('cp949')",
      'for i in range(len(data)):',
      '    sys.stdout.buffer.write(data[i:i+1]); sys.stdout.buffer.flush()',
      '    if i % 7 == 0: time.sleep(0.005)'
    ].join('\n')
    const result = await runCommand(PYTHON, ['-c', code, KOREAN_PATH], { timeoutMs: 15_000, decode: (b) => decodeConsoleBytes(b, 949) })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(KOREAN_PATH)
  })
})
