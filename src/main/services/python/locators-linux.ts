// Where Python lives on Linux: the distribution's python3 on PATH, plus pyenv's versions, which are
// listed directly because a desktop session's PATH often lacks ~/.pyenv/shims. A shim on PATH is
// harmless: the probe reports the real sys.executable it re-executes, and duplicates collapse.
import { locateConda } from './locators-conda'
import { locateHatch, locatePipenv, locatePoetry, locateUv } from './locators-managers'
import { locateOnPath, locatePyenv, type Locator } from './locators-common'

export const locateLinuxPath: Locator = (d) => locateOnPath(d)

export const linuxLocators: Locator[] = [locateLinuxPath, locatePyenv, locateUv, locateConda, locatePoetry, locatePipenv, locateHatch]
