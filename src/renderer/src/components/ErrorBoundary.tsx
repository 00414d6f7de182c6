// A panel that throws while rendering shows what broke and a way back, instead of a blank window.
import { Component, type ReactNode } from 'react'
import { translate } from '../i18n'
import { effectiveLanguage, settingsStore } from '../stores/settings-store'

interface Props {
  name: string
  children: ReactNode
}

interface State {
  error: Error | null
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  componentDidCatch(error: Error): void {
    console.error(`[stepwise] the ${this.props.name} panel failed:`, error)
  }

  render(): ReactNode {
    const { error } = this.state
    if (!error) return this.props.children
    const lang = effectiveLanguage(settingsStore.getState())
    return (
      <div className="panel-error" role="alert" data-testid={`panel-error-${this.props.name}`}>
        <strong>{translate(lang, 'error.panelCrashed')}</strong>
        <pre>{error.message}</pre>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          {translate(lang, 'action.tryAgain')}
        </button>
      </div>
    )
  }
}
