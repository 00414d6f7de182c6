// A real wheel built by the test itself (a zip with dist-info, RECORD hashes included), for installing
// packages offline with --no-index --find-links, the way an office PC without internet gets them.
import { spawnSync } from 'node:child_process'
import { PYTHON } from './python'

const BUILD = `
import base64, hashlib, os, sys, zipfile
out, name, version, code = sys.argv[1:5]
dist = name.replace('-', '_')
files = {f'{dist}/__init__.py': code.encode(),
         f'{dist}-{version}.dist-info/METADATA': f'Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n'.encode(),
         f'{dist}-{version}.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: stepwise-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
record = f'{dist}-{version}.dist-info/RECORD'
lines = []
for path, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    lines.append(f'{path},sha256={digest},{len(data)}')
lines.append(f'{record},,')
files[record] = ('\\n'.join(lines) + '\\n').encode()
wheel = os.path.join(out, f'{dist}-{version}-py3-none-any.whl')
with zipfile.ZipFile(wheel, 'w') as z:
    for path, data in files.items():
        z.writestr(path, data)
print(wheel)
`

/** Writes `<name>-<version>-py3-none-any.whl` into `dir`, its module's `__init__.py` being `code`; returns its path. */
export function buildWheel(dir: string, name: string, version: string, code: string): string {
  const r = spawnSync(PYTHON, ['-c', BUILD, dir, name, version, code], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`building the wheel failed: ${r.stderr}`)
  return r.stdout.trim()
}
