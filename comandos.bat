@echo off
rem Windows entry point (the original project's name): runs deploy.ps1 with the same arguments, e.g.
rem   comandos.bat up --http-port 8080     comandos.bat status     comandos.bat doctor     comandos.bat down --purge
rem PowerShell 7 (pwsh) when installed, else the Windows PowerShell every Windows has; -ExecutionPolicy Bypass, so
rem the default policy does not block the script. Double-clicked (cmd /c), the window stays open after a failure.
setlocal
where pwsh >nul 2>nul
if %ERRORLEVEL% equ 0 (
  pwsh -NoProfile -ExecutionPolicy Bypass -File "%~dp0deploy.ps1" %*
) else (
  powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0deploy.ps1" %*
)
set "rc=%ERRORLEVEL%"
if "%rc%"=="0" exit /b 0
rem Started by a double click (cmd /c ...): keep the window, and its error message, open. Windows' own find.exe:
rem Git's Unix tools on the PATH may bring another find.
echo %cmdcmdline% | "%SystemRoot%\System32\find.exe" /i "/c" >nul
if errorlevel 1 exit /b %rc%
echo.
echo deploy failed (exit code %rc%): the message above says why.
pause
exit /b %rc%
