// Where an environment folder keeps its interpreter: a venv's Scripts\ or bin/, a conda env's root on
// Windows. Shared by the locators of environment managers and by a folder chosen in settings.
import { pathOf, realFs, type DiscoveryFs } from './discovery-env'

export function interpreterLayouts(platform: NodeJS.Platform): string[][] {
  return platform === 'win32'
    ? [['Scripts', 'python.exe'], ['python.exe']]
    : [
        ['bin', 'python3'],
        ['bin', 'python']
      ]
}

/** A virtual environment folder stands for the interpreter inside it. */
export function interpreterInFolder(folder: string, platform: NodeJS.Platform = process.platform, fs: DiscoveryFs = realFs): string | null {
  const p = pathOf(platform)
  for (const rel of interpreterLayouts(platform)) {
    const exe = p.join(folder, ...rel)
    if (fs.exists(exe)) return exe
  }
  return null
}
