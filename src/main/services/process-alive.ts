// Whether a process still exists, without touching it (signal 0). A process that exists but may not be
// signalled by us (EPERM) still exists.
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
