// `stepwise schedule register|unregister`: hands one schedule to the OS scheduler (Task Scheduler on
// Windows, launchd on macOS) so that it runs while neither the app nor the daemon is up. The definition
// calls this same CLI with `schedule fire <id>`; the OS tools are called through command-runner only.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { homedir, tmpdir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { errorMessage, explanationOf, type ErrorMessage } from '../../../../shared/error-messages'
import { runCommand, type CommandRunner } from '../../command-runner'
import { localTimeZone, ScheduleInputError } from '../cron'
import type { Schedule } from '../schedule-store'
import { launchdLabel, launchdPlist } from './launchd-plist'
import { taskName, taskSchedulerXml } from './task-scheduler-xml'

export { launchdPlist, launchdLabel } from './launchd-plist'
export { taskSchedulerXml, taskName, windowsArgument } from './task-scheduler-xml'

export interface Invocation {
  /** The Node executable and the `stepwise` script, as this CLI was started. */
  node: string
  script: string
  dbPath: string
}

export type OsKind = 'windows' | 'macos'

export function osKind(platform: NodeJS.Platform = process.platform): OsKind | null {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : null
}

function fireArgs(s: Schedule, inv: Invocation): string[] {
  return [inv.script, 'schedule', 'fire', s.id, '--db', inv.dbPath]
}

/** OS schedulers run at the computer's local time; a schedule in another zone would drift by the offset. */
function assertLocalZone(s: Schedule): void {
  const local = localTimeZone()
  if (s.tz !== local)
    throw new OsRegistrationError(
      `The schedule's time zone is ${s.tz} but this computer's is ${local}; the OS scheduler runs at local time. Use stepwise daemon, or add the schedule with --tz ${local}.`,
      errorMessage('osSchedulerZone', { tz: s.tz, local })
    )
}

/** Handing a schedule to Task Scheduler or launchd failed, or cannot be done for this cron. */
export class OsRegistrationError extends Error {
  constructor(
    message: string,
    readonly explanation: ErrorMessage
  ) {
    super(message)
    this.name = 'OsRegistrationError'
  }
}

export function definition(kind: OsKind, s: Schedule, inv: Invocation): string {
  assertLocalZone(s)
  try {
    if (kind === 'windows') return taskSchedulerXml(s, inv.node, fireArgs(s, inv))
    return launchdPlist(s, [inv.node, ...fireArgs(s, inv)], join(dirname(inv.dbPath), `schedule-${s.id}.log`))
  } catch (err) {
    // Each translator names the part of the cron it cannot express; that reason goes along as the detail.
    if (explanationOf(err) || !(err instanceof Error)) throw err
    const explanation = errorMessage('osSchedulerUnsupported', { cron: s.cron }, err.message)
    // A cron field the OS cannot take stays a refusal of the input (the CLI's exit code 2).
    if (err instanceof ScheduleInputError) throw new ScheduleInputError(err.message, explanation)
    throw new OsRegistrationError(err.message, explanation)
  }
}

export async function register(kind: OsKind, s: Schedule, inv: Invocation, run: CommandRunner = runCommand): Promise<string> {
  const text = definition(kind, s, inv)
  if (kind === 'windows') {
    const file = join(tmpdir(), `stepwise-task-${s.id}.xml`)
    // schtasks reads the file in the encoding the XML declares: UTF-16 with its byte-order mark.
    await writeFile(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    try {
      await check(run('schtasks', ['/Create', '/TN', taskName(s.id), '/XML', file, '/F']), 'schtasks /Create')
    } finally {
      await rm(file, { force: true })
    }
    return taskName(s.id)
  }
  const plist = join(homedir(), 'Library', 'LaunchAgents', `${launchdLabel(s.id)}.plist`)
  await mkdir(dirname(plist), { recursive: true })
  await writeFile(plist, text, 'utf8')
  // A definition loaded before is replaced: bootout first, and its failure (nothing loaded) is fine.
  await run('launchctl', ['bootout', `gui/${userInfo().uid}/${launchdLabel(s.id)}`]).catch(() => undefined)
  await check(run('launchctl', ['bootstrap', `gui/${userInfo().uid}`, plist]), 'launchctl bootstrap')
  return plist
}

export async function unregister(kind: OsKind, scheduleId: string, run: CommandRunner = runCommand): Promise<void> {
  if (kind === 'windows') {
    await check(run('schtasks', ['/Delete', '/TN', taskName(scheduleId), '/F']), 'schtasks /Delete')
    return
  }
  await check(run('launchctl', ['bootout', `gui/${userInfo().uid}/${launchdLabel(scheduleId)}`]), 'launchctl bootout')
  await rm(join(homedir(), 'Library', 'LaunchAgents', `${launchdLabel(scheduleId)}.plist`), { force: true })
}

async function check(result: ReturnType<CommandRunner>, what: string): Promise<void> {
  const r = await result
  if (r.exitCode === 0) return
  const said = (r.stderr || r.stdout).trim()
  throw new OsRegistrationError(
    `${what} failed (exit ${r.exitCode}): ${said}`,
    errorMessage('osSchedulerFailed', { command: what, exit: String(r.exitCode) }, said || undefined)
  )
}
