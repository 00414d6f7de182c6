// The desktop the request handlers talk to, faked: every dialog answered "cancelled", nothing opened. A test
// overrides what it watches (the dialog answer it scripts, the opens it records).
import type { DesktopPlatform } from '../../src/main/services/request-handlers'

export function fakePlatform(overrides: Partial<DesktopPlatform> = {}): DesktopPlatform {
  return {
    version: 'test',
    locale: () => 'en',
    pickOpenFile: async () => null,
    pickSaveFile: async () => null,
    pickFolder: async () => null,
    openPath: async () => undefined,
    showItemInFolder: () => undefined,
    openInEditor: async () => 'none',
    ...overrides
  }
}
