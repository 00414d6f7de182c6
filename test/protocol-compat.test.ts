// Scripts written for the reference's protocol must run unchanged, including habits the reference
// tolerates: reading the variables file in the system code page, printing Python's NaN and Infinity.
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { openRealServices, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

describe('compatibility with the reference', () => {
  it('writes the variables file so that a script reading it in a Windows code page gets Korean intact', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    // On Windows, open() without encoding= reads cp949 (Korean) or cp1252; both must see the same text.
    const code = [
      'import json, sys',
      'path = sys.argv[sys.argv.index("--variables-file") + 1]',
      'a = json.load(open(path, encoding="cp949"))',
      'b = json.load(open(path, encoding="cp1252"))',
      'print(json.dumps({"same": a == b, "city": a["city"]}))'
    ].join('\n')
    const run = await saveAndRun(services, workflow('cp', [step(0, 'read', code, { output_mapping: { city: 'city' } })]), {
      workingDirectory: dir,
      variables: { city: '서울 — café 😀' }
    })
    expect(run.status).toBe('SUCCESS')
    expect(run.steps[0].output).toEqual({ same: true, city: '서울 — café 😀' })
    services.store.close()
  })

  it("hands Python's NaN and Infinity on to the next step as floats, and shows them as null in the record", async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const first = step(
      0,
      'stats',
      'import json\nprint(json.dumps({"mean": float("nan"), "max": float("inf"), "n": 3, "note": "NaN stays text"}))',
      {
        output_mapping: { n: 'n', mean: 'mean' }
      }
    )
    const second = step(
      1,
      'use',
      'import json, sys\nv = json.load(open(sys.argv[2]))\nprint(json.dumps({"got": v["count"], "mean": repr(v["mean"])}))',
      {
        input_mapping: { count: 'n' }
      }
    )
    const run = await saveAndRun(services, workflow('nan', [first, second]), { workingDirectory: dir })
    expect(run.status).toBe('SUCCESS')
    expect(run.steps[0].output).toEqual({ mean: null, max: null, n: 3, note: 'NaN stays text' })
    expect(run.variables).toMatchObject({ n: 3, mean: null })
    expect(run.steps[1].output).toEqual({ got: 3, mean: 'nan' })
    services.store.close()
  })
})
