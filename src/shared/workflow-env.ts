// A workflow's environment variables: each a literal text or a reference to a secret by name. Names are
// environment-variable names on every system, so a workflow written on macOS runs on Windows; a secret's
// name follows the same rule, since it is usually the variable it is handed to.
import { z } from 'zod'
import { RESERVED_NAMES } from './input-limits'

export interface SecretRef {
  secret: string
}
export type EnvValue = string | SecretRef
export type WorkflowEnv = Record<string, EnvValue>

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/
export const ENV_LIMITS = { nameChars: 200, valueChars: 32_767, entries: 200 } as const

/** Set by Stepwise for the step protocol (UTF-8 pipes, the run's token): a workflow cannot change them. */
const PROTOCOL_NAMES = ['PYTHONIOENCODING', 'PYTHONUNBUFFERED']
const PROTOCOL_PREFIX = 'STEPWISE_'

export const isSecretRef = (v: EnvValue): v is SecretRef => typeof v === 'object' && v !== null

/** Why `name` cannot be an environment variable's (or a secret's) name, or null when it can. */
export function envNameProblem(name: string): string | null {
  if (!name) return 'a name may not be empty'
  if (name.length > ENV_LIMITS.nameChars) return `a name may be at most ${ENV_LIMITS.nameChars} characters (this one has ${name.length})`
  if (!ENV_NAME_PATTERN.test(name))
    return `"${name}" is not an environment variable name: use letters A-Z, digits and _, not starting with a digit (e.g. API_TOKEN)`
  if (RESERVED_NAMES.includes(name)) return `"${name}" cannot be a name: JavaScript objects reserve it; choose another name`
  return null
}

function reservedProblem(name: string): string | null {
  const upper = name.toUpperCase()
  if (PROTOCOL_NAMES.includes(upper) || upper.startsWith(PROTOCOL_PREFIX))
    return `"${name}" is set by Stepwise itself for every step; choose another name`
  return null
}

export const secretNameSchema = z.string().superRefine((name, ctx) => {
  const problem = envNameProblem(name)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

export const secretValueSchema = z
  .string()
  .min(1, 'a secret may not be empty')
  .max(ENV_LIMITS.valueChars, `a secret may be at most ${ENV_LIMITS.valueChars.toLocaleString('en')} characters`)
  .refine((v) => !v.includes('\0'), 'a secret may not contain a NUL character (\\0): no environment variable can hold one')

function literalProblem(v: string): string | null {
  if (v.length > ENV_LIMITS.valueChars) return `a value may be at most ${ENV_LIMITS.valueChars.toLocaleString('en')} characters`
  if (v.includes('\0')) return 'a value may not contain a NUL character (\\0): no environment variable can hold one'
  return null
}

/**
 * `{NAME: "text" | {"secret": "SECRET_NAME"}}`; every problem names its variable. Checked by hand over the
 * object's own keys: zod's record drops a `__proto__` key (which JSON.parse keeps) without a word.
 */
export const workflowEnvSchema = z.custom<WorkflowEnv>().superRefine((env, ctx) => {
  const issue = (path: string[], message: string): void => ctx.addIssue({ code: 'custom', path, message })
  if (typeof env !== 'object' || env === null || Array.isArray(env))
    return issue([], 'must be an object of variables ({"NAME": "text" or {"secret": "SECRET_NAME"}, ...})')
  const names = Object.keys(env)
  if (names.length > ENV_LIMITS.entries) return issue([], `may set at most ${ENV_LIMITS.entries} variables (this one sets ${names.length})`)
  // Windows treats Path and PATH as one variable: two spellings would overwrite each other there.
  const seen = new Map<string, string>()
  for (const name of names) {
    const at = [name.length > 60 ? `${name.slice(0, 60)}…` : name]
    const problem = envNameProblem(name) ?? reservedProblem(name)
    if (problem) issue(at, problem)
    const other = seen.get(name.toUpperCase())
    if (other) issue(at, `"${name}" and "${other}" are the same variable on Windows; keep one`)
    seen.set(name.toUpperCase(), name)
    const value: unknown = (env as Record<string, unknown>)[name]
    if (typeof value === 'string') {
      const bad = literalProblem(value)
      if (bad) issue(at, bad)
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).join() === 'secret') {
      const secret = (value as { secret: unknown }).secret
      const bad = typeof secret === 'string' ? envNameProblem(secret) : 'the secret must be named by a text'
      if (bad) issue([...at, 'secret'], bad)
    } else issue(at, 'must be a text or {"secret": "SECRET_NAME"}')
  }
})

/** The secret names an environment refers to, each once, in order. */
export function referencedSecrets(env: WorkflowEnv): string[] {
  return [...new Set(Object.values(env).flatMap((v) => (isSecretRef(v) ? [v.secret] : [])))]
}
