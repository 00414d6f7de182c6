// An update the app shell downloaded (electron-updater, from the feed set at build time): the window offers
// "Restart to update", and the restart is refused while a run is going, so an update never cuts a run short.
export class UpdateState {
  private version: string | null = null
  private restart: (() => void) | null = null

  /** The shell calls this once the update is downloaded and can be installed by restarting. */
  ready(version: string, restart: () => void): void {
    this.version = version
    this.restart = restart
  }

  readyVersion(): string | null {
    return this.version
  }

  /** Restarts into the update; false when there is none. The caller checks that nothing runs. */
  restartNow(): boolean {
    if (!this.restart) return false
    this.restart()
    return true
  }
}
