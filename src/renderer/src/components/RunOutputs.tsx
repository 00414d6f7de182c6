// The files a finished run created or changed in its working folder: name, size, time. A document opens
// with the OS (main checks it again and refuses anything it could run); a script or text opens in the
// app's read-only viewer. "Open working folder" shows the folder itself. A file deleted or moved since the
// run (History shows old runs) is listed as gone instead of failing when clicked.
import { useState } from 'react'
import type { OutputFiles } from '../../../shared/model'
import { openPath } from '../app-actions'
import { useT } from '../i18n/use-t'
import { formatDateTime, formatShortDate } from '../lib/format'
import { formatSize, openerOf, relativeTo } from '../lib/output-file'
import { useMissingOutputs } from '../lib/use-missing-outputs'
import { KeptFileViewer } from './KeptFileViewer'
import './RunVariables.css'

export function RunOutputs({
  outputs,
  workingDirectory,
  executionId
}: {
  outputs: OutputFiles
  workingDirectory: string
  executionId?: string
}) {
  const { t, locale } = useT()
  const [viewing, setViewing] = useState<string | null>(null)
  const missing = useMissingOutputs(executionId, outputs)
  return (
    <div className="run-variables run-outputs" data-testid="run-outputs">
      <div className="run-log-head">
        {t('finish.outputs.title')}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void openPath(workingDirectory, 'open')}
          data-testid="open-working-folder"
        >
          {t('finish.outputs.openFolder')}
        </button>
      </div>
      {outputs.truncated && (
        <p className="muted run-variables-empty" data-testid="outputs-truncated">
          {t('finish.outputs.truncated', { count: '2,000' })}
        </p>
      )}
      {outputs.files.length === 0 ? (
        <p className="muted run-variables-empty">{t('finish.outputs.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('finish.outputs.name')}</th>
              <th scope="col">{t('finish.outputs.size')}</th>
              <th scope="col">{t('finish.outputs.modified')}</th>
            </tr>
          </thead>
          <tbody>
            {outputs.files.map((f) => {
              const name = relativeTo(workingDirectory, f.path)
              const opener = openerOf(f.path)
              const gone = missing.has(f.path)
              return (
                <tr key={f.path} data-testid="output-file" data-opener={opener} data-gone={gone || undefined}>
                  <th scope="row">
                    {gone ? (
                      <span className="output-file-gone" title={t('histshots.outputs.goneHint')} data-testid="output-file-gone">
                        {name}
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => (opener === 'os' ? void openPath(f.path, 'open') : setViewing(f.path))}
                        aria-label={t(opener === 'os' ? 'finish.outputs.open' : 'finish.outputs.view', { name })}
                        data-testid="output-file-open"
                      >
                        {name}
                      </button>
                    )}{' '}
                    {gone ? (
                      <span className="badge badge-gone">{t('histshots.outputs.gone')}</span>
                    ) : (
                      <span className="badge">{t(f.change === 'created' ? 'finish.outputs.created' : 'finish.outputs.changed')}</span>
                    )}
                  </th>
                  <td className="num">{formatSize(f.size)}</td>
                  <td title={formatDateTime(f.modified_at, locale)}>{formatShortDate(f.modified_at, locale)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {viewing && <KeptFileViewer path={viewing} kind="output" onClose={() => setViewing(null)} />}
    </div>
  )
}
