// A working folder with its own .venv: the workflow's settings say that this environment runs its steps
// (that a run really uses it is test/python-environment.test.ts).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { createWorkflow, openApp, pageErrors, resetBridge, shot } from './helpers'

const python = process.platform === 'win32' ? 'python' : 'python3'

test("the working folder's .venv is shown as the workflow's Python", async ({ page, request }) => {
  const { workDir } = await resetBridge(request)
  execFileSync(python, ['-m', 'venv', '--without-pip', join(workDir, '.venv')])
  await openApp(page)
  await createWorkflow(page, 'Project report')
  await page.getByTestId('tab-workflowSettings').click()
  const picker = page.getByTestId('workflow-python')
  await expect(picker.locator('option').first()).toContainText("The working folder's own environment")
  await expect(picker.locator('option').first()).toContainText('.venv')
  await expect(page.getByTestId('workflow-python-project')).toBeVisible()
  await shot(page, 'workflow-settings-project-venv')

  expect(pageErrors(page)).toEqual([])
})
