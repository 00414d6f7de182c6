// A person keeps an API token in Secrets (write-only: the name is listed, the value never shown again),
// hands it to a workflow through the env editor in its settings, runs it, and sees *** wherever the step
// printed it; a bad name is refused in the form.
import { expect, test } from '@playwright/test'
import { axeProblems, createWorkflow, openApp, pageErrors, resetBridge, runStep, save, script, setCode, shot } from './helpers'

const SECRET = 'e2e-"tok"-비밀-7f3a'

const USE_TOKEN = script(`
import hashlib, os
token = os.environ["API_KEY"]
print(f"using token {token} in {os.environ['MODE']}", file=sys.stderr)
print(json.dumps({"sha": hashlib.sha256(token.encode()).hexdigest()[:12], "echo": token}))
`)

test.beforeEach(async ({ request }) => {
  await resetBridge(request)
})

test('a secret set in the Secrets view reaches a step through the env editor, and is shown only as ***', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('open-secrets').click()
  const screen = page.getByTestId('secrets-screen')
  await expect(screen.getByTestId('secrets-where')).toContainText('secrets.enc')

  await screen.getByTestId('secret-name').fill('bad-name')
  await expect(screen.getByTestId('secret-name-problem')).toContainText('not an environment variable name')
  await expect(screen.getByTestId('secret-save')).toBeDisabled()

  await screen.getByTestId('secret-name').fill('API_TOKEN')
  await screen.getByTestId('secret-value').fill(SECRET)
  await expect(screen.getByTestId('secret-value')).toHaveAttribute('type', 'password')
  await screen.getByTestId('secret-save').click()
  await expect(screen.getByTestId('secret-API_TOKEN')).toBeVisible()
  await expect(screen.getByTestId('secret-value')).toHaveValue('')
  await expect(page.locator('body')).not.toContainText(SECRET)
  await shot(page, 'secrets')
  expect(await axeProblems(page)).toEqual([])

  await createWorkflow(page, 'Uses a token')
  await setCode(page, USE_TOKEN)
  await page.getByTestId('tab-workflowSettings').click()
  const env = page.getByTestId('env-editor')
  await env.getByTestId('env-add').click()
  await env.getByTestId('env-name-0').fill('API_KEY')
  await env.getByTestId('env-kind-0').selectOption('secret')
  await env.getByTestId('env-secret-0').selectOption('API_TOKEN')
  await env.getByTestId('env-add').click()
  await env.getByTestId('env-name-1').fill('MODE')
  await env.getByTestId('env-value-1').fill('test')
  await save(page)
  await shot(page, 'workflow-env')
  expect(await axeProblems(page)).toEqual([])

  await page.getByTestId('tab-steps').click()
  await page.keyboard.press('F5')
  await expect(page.getByTestId('run-panel')).toHaveAttribute('data-status', 'SUCCESS', { timeout: 30_000 })
  await expect(runStep(page, 'Step_1')).toHaveAttribute('data-status', 'SUCCESS')
  await expect(page.getByTestId('log-view')).toContainText('using token *** in test')
  await expect(page.locator('body')).not.toContainText('7f3a')

  // The env survives a reload of the workflow: it was saved, not only kept in the window.
  await page.reload()
  await page.getByTestId('sidebar').getByText('Uses a token').click()
  await page.getByTestId('tab-workflowSettings').click()
  await expect(page.getByTestId('env-secret-0')).toHaveValue('API_TOKEN')
  await expect(page.getByTestId('env-value-1')).toHaveValue('test')
  expect(pageErrors(page)).toEqual([])
})

test('deleting a secret asks first, then it is gone from the list', async ({ page }) => {
  await openApp(page)
  await page.getByTestId('open-secrets').click()
  await page.getByTestId('secret-name').fill('OLD_TOKEN')
  await page.getByTestId('secret-value').fill('old-value')
  await page.getByTestId('secret-save').click()
  await expect(page.getByTestId('secret-OLD_TOKEN')).toBeVisible()
  await page.getByRole('button', { name: 'Delete OLD_TOKEN' }).click()
  await page.getByTestId('confirm-ok').click()
  await expect(page.getByTestId('secret-OLD_TOKEN')).toHaveCount(0)
  await expect(page.getByTestId('secrets-screen')).toContainText('No secrets yet.')
})
