// Keeping the run history tidy: deleting runs with what they kept on disk, and trimming it by age.
export { deleteRuns, isOwnTempFolder, type DeletedRuns } from './delete-runs'
export { scheduleHistoryTrim, trimHistory } from './trim'
