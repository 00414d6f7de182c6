import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { WorkflowSummary } from '../../shared/model'

function App() {
  const [workflows, setWorkflows] = useState<WorkflowSummary[]>([])
  useEffect(() => {
    void window.stepwise.invoke('workflows:list', {}).then((r) => r.ok && setWorkflows(r.value))
  }, [])
  return (
    <main>
      <h1>Stepwise</h1>
      <ul>{workflows.map((w) => <li key={w.id}>{w.name}</li>)}</ul>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>
)
