// A step that failed on "No module named 'x'": the package that provides x, and, on a run that can resume,
// "Add it to this workflow's packages and run again from this step".
import { missingModule, packageForModule } from '../../../shared/module-packages'
import { requirementName } from '../../../shared/requirements'
import { useT } from '../i18n/use-t'
import { addPackageAndResume } from '../package-actions'
import { requirementLines } from '../stores/draft-requirements'
import { useDraft, useRuns } from '../stores/hooks'
import './packages.css'

export function MissingPackageFix({
  error,
  logText,
  executionId,
  canFix
}: {
  error: string | null
  logText?: string
  executionId: string
  canFix: boolean
}) {
  const { t } = useT()
  const requirements = useDraft((s) => s.draft?.requirementsText ?? '')
  const starting = useRuns((s) => s.starting)
  // The error keeps only the tail of stderr; the log has the whole traceback.
  const module = missingModule(`${logText ?? ''}\n${error ?? ''}`)
  if (!module) return null
  const pkg = packageForModule(module)
  const listed = requirementLines(requirements).some((l) => requirementName(l) === requirementName(pkg))
  return (
    <section className="missing-package" data-testid="missing-package" data-package={pkg}>
      <p>{t('packages.missing.text', { module, package: pkg })}</p>
      {listed && <p className="hint">{t('packages.missing.listed', { package: pkg })}</p>}
      {canFix && (
        <div>
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={starting}
            onClick={() => void addPackageAndResume(executionId, pkg)}
            data-testid="add-package-and-resume"
          >
            {t(listed ? 'packages.missing.rerun' : 'packages.missing.fix', { package: pkg })}
          </button>
        </div>
      )}
    </section>
  )
}
