// The theme in effect: the person's choice, or the OS's (prefers-color-scheme), followed live.
import { useEffect, useState } from 'react'
import { useSettings } from '../stores/hooks'

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

export function useDarkTheme(): boolean {
  const theme = useSettings((s) => s.settings.theme)
  const [osDark, setOsDark] = useState(systemDark)
  useEffect(() => {
    if (typeof matchMedia !== 'function') return
    const mq = matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setOsDark(mq.matches)
    mq.addEventListener('change', onChange)
    return () => mq.removeEventListener('change', onChange)
  }, [])
  return theme === 'dark' || (theme === 'system' && osDark)
}
