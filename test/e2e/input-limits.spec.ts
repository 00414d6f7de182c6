// The bridge serves the contract through dispatchRequest like the app's binder: a hostile payload is
// refused with a typed error and the bridge keeps serving the window.
import { expect, test } from '@playwright/test'
import { createWorkflow, openApp, pageErrors, resetBridge } from './helpers'

test('a payload nested 2,000 levels deep is refused and the bridge keeps serving', async ({ page, request }) => {
  await resetBridge(request)
  await openApp(page)
  await createWorkflow(page, 'Deep')
  const results = await page.evaluate(async () => {
    let deep: unknown = 1
    for (let i = 0; i < 2000; i++) deep = { a: deep }
    const api = (globalThis as unknown as { stepwise: { invoke: (c: string, p: unknown) => Promise<unknown> } }).stepwise
    const list = (await api.invoke('workflows:list', {})) as { value: { id: string }[] }
    const refused = await api.invoke('runs:start', { workflow_id: list.value[0].id, variables: { x: deep } })
    const after = await api.invoke('workflows:list', {})
    return { refused, after }
  })
  expect(results.refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  expect((results.refused as { error: { message: string } }).error.message).toMatch(/nests more than 110 levels deep/)
  expect(results.after).toMatchObject({ ok: true, value: [{ name: 'Deep' }] })
  // The bridge process is still up and the window still works against it.
  expect((await request.get('/__test/state')).ok()).toBeTruthy()
  await createWorkflow(page, 'Still here')
  expect(pageErrors(page)).toEqual([])
})
