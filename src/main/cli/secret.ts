// `stepwise secret set|list|delete`: the secrets of the database's workflows. A value is read from stdin
// (typed without echo at a terminal, or piped), never from an argument, where shell history and the
// process list would keep it.
import { envNameProblem } from '../../shared/workflow-env'
import { SecretInputError } from '../services/secrets'
import type { Services } from '../services/services'
import { say } from './terminal-text'

export class SecretUsageError extends Error {}

export async function secretCommand(services: Services, args: string[], values: { json?: boolean }): Promise<number> {
  const [sub, ...rest] = args
  const secrets = services.secrets
  const oneName = (): string => {
    if (rest.length !== 1)
      throw new SecretUsageError(
        rest.length ? `Too many arguments: ${rest.join(' ')} (the value is read from stdin)` : 'Missing a secret name.'
      )
    return rest[0]
  }
  switch (sub) {
    case 'set': {
      const name = oneName()
      // The name and the store first: neither should fail only after someone typed the value.
      const problem = envNameProblem(name)
      if (problem) throw new SecretInputError(`The secret name: ${problem}.`)
      const { where } = await secrets.info()
      const value = await readValue(name)
      await secrets.set(name, value)
      say(process.stderr, `Secret "${name}" saved in ${where}.\n`)
      return 0
    }
    case 'list': {
      if (rest.length) throw new SecretUsageError(`Unexpected arguments: ${rest.join(' ')}`)
      const names = await secrets.list()
      if (values.json) {
        const { kind, where } = await secrets.info()
        process.stdout.write(`${JSON.stringify({ store: kind, where, names }, null, 2)}\n`)
      } else if (!names.length) say(process.stderr, 'No secrets yet. Add one with: stepwise secret set NAME (the value from stdin)\n')
      else say(process.stdout, `${names.join('\n')}\n`)
      return 0
    }
    case 'delete': {
      const name = oneName()
      if (!(await secrets.delete(name))) throw new SecretInputError(`There is no secret "${name}".`)
      say(process.stderr, `Secret "${name}" deleted.\n`)
      return 0
    }
    default:
      throw new SecretUsageError(sub ? `Unknown secret command "${sub}": use set, list or delete.` : 'secret needs set, list or delete.')
  }
}

/** The value: a line typed without echo at a terminal, else all of stdin less one final line break. */
async function readValue(name: string): Promise<string> {
  const stdin = process.stdin
  if (stdin.isTTY) return readHiddenLine(`Value of ${name} (not shown): `)
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  stdin.resume()
  return new Promise((resolve, reject) => {
    let value = ''
    const done = (result: Error | string): void => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      process.stderr.write('\n')
      if (typeof result === 'string') resolve(result)
      else reject(result)
    }
    const onData = (text: string): void => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return done(value)
        if (ch === '\u0003') return done(new SecretUsageError('Cancelled; nothing was saved.'))
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
        else value += ch
      }
    }
    stdin.on('data', onData)
  })
}
