// What the graph view draws for run control: columns by how many steps wait before a step, "runs after"
// arrows labelled with the variables they carry, dashed reads no arrow covers, and the steps running side
// by side that set the same variable (the later in order wins).
import { describe, expect, it } from 'vitest'
import { graphModel } from '../src/renderer/src/lib/graph-model'
import type { Step } from '../src/shared/model'

const step = (id: string, order: number, extra: Partial<Step> = {}): Step => ({
  id,
  order,
  name: id.toUpperCase(),
  step_type: 'PYTHON_SCRIPT',
  code: '',
  description: '',
  input_mapping: {},
  output_mapping: {},
  timeout_seconds: null,
  depends_on: null,
  retry: null,
  continue_on_error: false,
  ...extra
})

describe('graph model', () => {
  it('a diamond: B and C side by side after A, D after both; a dashed read from A into D; C wins x over B', () => {
    const steps = [
      step('a', 0, { depends_on: [], output_mapping: { rows: 'rows' } }),
      step('b', 1, { depends_on: ['a'], output_mapping: { x: 'x' }, input_mapping: { data: 'rows' } }),
      step('c', 2, { depends_on: ['a'], output_mapping: { x: 'x' } }),
      step('d', 3, { depends_on: ['b', 'c'], code: "print(variables['rows'])" }),
      step('alert', 4, { code: "print(variables['error'])" })
    ]
    const m = graphModel(steps, ['alert'], {})
    expect(m.places.map((p) => [p.step.id, p.column, p.row, p.handler])).toEqual([
      ['a', 0, 0, false],
      ['b', 1, 0, false],
      ['c', 1, 1, false],
      ['d', 2, 0, false],
      ['alert', 0, 2.5, true]
    ])
    expect(m.dependencies).toEqual([
      { from: 'a', to: 'b', labels: ['rows → data'] },
      { from: 'a', to: 'c', labels: [] },
      { from: 'b', to: 'd', labels: [] },
      { from: 'c', to: 'd', labels: [] }
    ])
    expect(m.implied).toEqual([{ from: 'a', to: 'd', variable: 'rows' }])
    expect(m.conflicts).toEqual([{ variable: 'x', steps: ['B', 'C'], winner: 'C' }])
  })

  it('steps in order: a chain, one column each, and no conflict for a variable set twice', () => {
    const steps = [step('a', 0, { output_mapping: { x: 'x' } }), step('b', 1, { output_mapping: { x: 'x' } }), step('c', 2)]
    const m = graphModel(steps, [], { region: 'Seoul' })
    expect(m.places.map((p) => p.column)).toEqual([0, 1, 2])
    expect(m.dependencies.map((d) => `${d.from}→${d.to}`)).toEqual(['a→b', 'b→c'])
    expect(m.conflicts).toEqual([])
  })

  it('a circle (refused on save) still gets a drawing', () => {
    const m = graphModel([step('a', 0, { depends_on: ['b'] }), step('b', 1, { depends_on: ['a'] })], [], {})
    expect(m.places).toHaveLength(2)
    expect(m.dependencies).toHaveLength(2)
  })
})
