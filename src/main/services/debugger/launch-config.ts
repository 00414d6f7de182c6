// "Open in VS Code" for a step a run kept (debug mode): a launch.json beside the kept script that runs it
// the way Stepwise did, with the same interpreter, arguments and working folder, so the person can go on
// with VS Code's own debugger. Entries of other steps kept in the same folder are kept.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface LaunchTarget {
  python: string
  script: string
  variables: string | null
  workingDirectory: string
}

export interface LaunchConfiguration {
  name: string
  type: 'debugpy'
  request: 'launch'
  program: string
  args: string[]
  cwd: string
  python: string
  console: 'integratedTerminal'
  justMyCode: boolean
}

export function launchConfiguration(target: LaunchTarget): LaunchConfiguration {
  return {
    name: `Stepwise: ${basename(target.script, '.py')}`,
    type: 'debugpy',
    request: 'launch',
    program: target.script,
    args: target.variables ? ['--variables-file', target.variables] : [],
    cwd: target.workingDirectory,
    python: target.python,
    console: 'integratedTerminal',
    justMyCode: true
  }
}

/** Writes (or updates) `.vscode/launch.json` in the kept script's folder; returns its path. */
export async function writeLaunchConfiguration(target: LaunchTarget): Promise<string> {
  const folder = join(dirname(target.script), '.vscode')
  const file = join(folder, 'launch.json')
  const config = launchConfiguration(target)
  let configurations: { name?: unknown }[] = []
  try {
    const existing = JSON.parse(await readFile(file, 'utf8')) as { configurations?: unknown }
    if (Array.isArray(existing.configurations)) configurations = existing.configurations as { name?: unknown }[]
  } catch {
    // None yet, or not one we can read: this one replaces it (the folder is Stepwise's own).
  }
  configurations = [...configurations.filter((c) => c?.name !== config.name), config]
  await mkdir(folder, { recursive: true })
  await writeFile(file, `${JSON.stringify({ version: '0.2.0', configurations }, null, 2)}\n`, 'utf8')
  return file
}
