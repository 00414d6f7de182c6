import './lib/csp'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { bootstrap } from './bootstrap'
import { reportError } from './stores/toast-store'
import './styles.css'

// Errors outside React's tree (a rejected promise in a handler) still reach the person.
window.addEventListener('unhandledrejection', (e) => reportError('error.unexpected', e.reason))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
void bootstrap()
