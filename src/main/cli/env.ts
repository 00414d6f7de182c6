// `stepwise env prepare <workflow-id>`: installs a workflow's packages now (before an unattended run needs
// them), with pip's or uv's lines on stderr; prints the Python its steps will run with.
import type { Services } from '../services/services'
import { say } from './terminal-text'

export class EnvUsageError extends Error {}

export async function envCommand(services: Services, args: string[], values: { python?: string; json?: boolean }): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'prepare')
    throw new EnvUsageError(
      sub ? `Unknown env command "${sub}"; use: stepwise env prepare <workflow-id>.` : 'Missing: prepare <workflow-id>.'
    )
  if (rest.length !== 1) throw new EnvUsageError(rest.length ? `Too many arguments: ${rest.join(' ')}` : 'Missing a workflow id.')
  const workflow = services.store.getWorkflow(rest[0])
  const off = services.runner.on((event) => {
    if (event.channel === 'env:progress') say(process.stderr, `${event.payload.line}\n`)
  })
  try {
    const python = await services.runner.prepareEnvironment(workflow.id, { python: values.python })
    if (values.json) say(process.stdout, `${JSON.stringify({ workflow_id: workflow.id, python, requirements: workflow.requirements })}\n`)
    else {
      if (!workflow.requirements.length)
        say(process.stderr, `"${workflow.name}" needs no packages; its steps run with the interpreter itself.\n`)
      say(process.stdout, `${python}\n`)
    }
    return 0
  } finally {
    off()
  }
}
