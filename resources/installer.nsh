; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; Stepwise installs for the current user only: no administrator rights, and no page asking
; "for all users or just me" (electron-builder shows it for an assisted per-user installer otherwise).
!macro customInstallMode
  StrCpy $isForceCurrentInstall "1"
!macroend
