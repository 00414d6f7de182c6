import type { StepwiseApi } from '../../shared/ipc-contract'

declare global {
  interface Window {
    stepwise: StepwiseApi
  }
}
export {}
