// The one binder: registers every request channel of the contract on ipcMain. Each call is checked to
// come from the app's own window, its payload is validated against the contract, and errors come back as
// typed results the UI can show. Only types are taken from electron, so tests can pass a fake ipcMain.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { requestChannels, type IpcResult } from '../../shared/ipc-contract'
import { dispatchRequest, type RequestHandlers } from '../services/request-handlers'

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

export function bindRequestHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: RequestHandlers,
  isTrustedSender: SenderCheck
): () => void {
  const channels = Object.keys(requestChannels)
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, params): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: `Refused ${channel}: the request did not come from the Stepwise window.` }
        }
      }
      return dispatchRequest(handlers, channel, params)
    })
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c))
}

/** A sender is trusted when it is the main window's own top frame showing the app's own page. */
export function windowSenderCheck(getWebContentsId: () => number | undefined, isAppUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    return event.sender.id === getWebContentsId() && !!frame && frame.parent === null && isAppUrl(frame.url)
  }
}
