// "Re-run this step with the same inputs": one step of a past run, with the inputs it had then and the
// code it has now, recorded as a new execution marked as a replay.
import { afterAll, describe, expect, it } from 'vitest'
import { cleanupTempDirs, makeTempDir } from './helpers/temp'
import { PYTHON } from './helpers/python'
import { emit, openRealServices, py, saveAndRun, step, workflow } from './helpers/workflows'

afterAll(cleanupTempDirs)

describe('replaying a step', () => {
  it('runs the fixed code on the recorded inputs as a new execution marked as a replay', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const first = step(0, 'Fetch', py(emit("{'items': [1, 2, 3]}")), { output_mapping: { items: 'items' } })
    const broken = step(1, 'Sum', py("raise RuntimeError('bug')"), { input_mapping: { numbers: 'items' } })
    const failed = await saveAndRun(services, workflow('replay', [first, broken]), { workingDirectory: dir })
    expect(failed.status).toBe('FAILED')
    const recordedInputs = failed.steps[1].input_variables
    expect(recordedInputs).toMatchObject({ items: [1, 2, 3], numbers: [1, 2, 3], 'step-0': { items: [1, 2, 3] } })

    // The person fixes the step's code, then replays just that step.
    const wf = services.store.getWorkflow(failed.workflow_id)
    services.store.saveWorkflow({ ...wf, steps: [wf.steps[0], { ...wf.steps[1], code: py(emit("{'total': sum(variables['numbers'])}")) }] })
    const replay = await services.runner.replayStep(failed.id, 'step-1', { python: PYTHON })
    const done = await replay.done

    expect(done.id).not.toBe(failed.id)
    expect(done.status).toBe('SUCCESS')
    expect(done.replay_of).toEqual({ execution_id: failed.id, step_id: 'step-1' })
    expect(done.steps.map((s) => s.step_id)).toEqual(['step-1'])
    expect(done.steps[0].input_variables).toEqual(recordedInputs)
    expect(done.steps[0].output).toEqual({ total: 6 })
    // The first step did not run again, and the past execution is unchanged.
    expect(services.store.getExecution(failed.id).status).toBe('FAILED')
    expect(services.store.listExecutions(failed.workflow_id)).toHaveLength(2)
    services.store.close()
  })

  it('refuses a step that never started in that run', async () => {
    const dir = makeTempDir()
    const services = openRealServices(dir)
    const failed = await saveAndRun(services, workflow('replay', [step(0, 'Boom', py('sys.exit(3)')), step(1, 'Later', py(emit('{}')))]), {
      workingDirectory: dir
    })
    expect(failed.steps[1].status).toBe('SKIPPED')
    await expect(services.runner.replayStep(failed.id, 'step-1', { python: PYTHON })).rejects.toThrow(/never started/)
    services.store.close()
  })
})
