@echo off
rem Windows entry point (the original project's name): runs deploy.ps1 with the same arguments, e.g.
rem   comandos.bat up --http-port 8080     comandos.bat status     comandos.bat down --purge
rem PowerShell 7 (pwsh) when installed, else the Windows PowerShell every Windows has.
setlocal
where pwsh >nul 2>nul
if %ERRORLEVEL% equ 0 (
  pwsh -NoProfile -ExecutionPolicy Bypass -File "%~dp0deploy.ps1" %*
) else (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0deploy.ps1" %*
)
exit /b %ERRORLEVEL%
