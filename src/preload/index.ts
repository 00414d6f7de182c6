// Puts exactly the contract on window.stepwise: requests by channel name, event subscriptions that hand
// listeners the payload only and return their unsubscribe function. No ipcRenderer, no Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { isEventChannel, isRequestChannel, type StepwiseApi } from '../shared/ipc-contract'

const api: StepwiseApi = {
  invoke(channel, params) {
    if (!isRequestChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request channel "${String(channel)}".` } })
    }
    return ipcRenderer.invoke(channel, params)
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unknown event channel "${String(channel)}".`)
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload as never)
    ipcRenderer.on(channel, forward)
    return () => {
      ipcRenderer.removeListener(channel, forward)
    }
  }
}

contextBridge.exposeInMainWorld('stepwise', api)
