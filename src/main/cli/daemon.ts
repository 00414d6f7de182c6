// `stepwise daemon`: fires schedules and folder triggers while the app is not running, until SIGINT or
// SIGTERM. It logs to stepwise-daemon.log beside the database, since nobody watches its terminal.
import { createWriteStream } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Services } from '../services/services'
import { UnattendedRunner } from '../services/schedule'
import { say } from './terminal-text'

export function daemonLogPath(dbPath: string): string {
  return join(dirname(dbPath), 'stepwise-daemon.log')
}

export async function daemonCommand(services: Services): Promise<number> {
  const logPath = daemonLogPath(services.store.path)
  const log = createWriteStream(logPath, { flags: 'a' })
  const write = (line: string): void => void log.write(`${line}\n`)
  const unattended = new UnattendedRunner(services.store, services.runner, { log: write })
  write(`${new Date().toISOString()} daemon started (pid ${process.pid}) on ${services.store.path}`)
  say(
    process.stderr,
    `Stepwise daemon: running the schedules and folder triggers of ${services.store.path}.\nLog: ${logPath}\nCtrl+C to stop.\n`
  )
  unattended.start()
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP']
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of signals) process.once(s, resolve)
  })
  write(`${new Date().toISOString()} ${signal}: stopping`)
  await unattended.stop()
  // Ends the running steps' process trees; the runs are recorded CANCELLED.
  await services.runner.stopAll()
  write(`${new Date().toISOString()} daemon stopped`)
  await new Promise((resolve) => log.end(resolve))
  return 0
}
