<#
.SYNOPSIS
  Windows launcher of ./deploy.sh (PowerShell 5.1 or 7): the same verbs and options, run by the one implementation.

.DESCRIPTION
  powershell -ExecutionPolicy Bypass -File .\deploy.ps1 [up|down|status|doctor] [options]   (or double-click comandos.bat)
      up      preflight, create or repair the kind cluster, build and load the images, deploy, smoke-test
      doctor  the preflight checks alone, each problem with its fix
      down    delete the cluster (--purge also deletes the brokers' data)
      status  nodes and pods, then 'gateway: URL' and 'bootstrap: ...' lines
  Options as for ./deploy.sh: --data-dir D, --http-port P, --https-port P, --with-ui, --no-smoke, --overlay kind|cloud, --purge.

  Runs deploy.sh in WSL 2 (the default distribution, with Docker Desktop's WSL integration turned on for it, and kind
  and kubectl installed there): the brokers' data then lives on the WSL file system. Kafka on an NTFS directory
  shared through Docker Desktop fails at segment renames (KAFKA-1194), so when this checkout sits on a Windows drive
  (/mnt/c/...), deploy.sh keeps the data in ~/.local/share/kafka-on-kind inside WSL unless --data-dir says otherwise.
  Without WSL it falls back to Git for Windows' bash (Git Bash), with a warning: the data is then on NTFS.
#>
# Nothing is reimplemented here: deploy.sh (deploy/kind/deploy-kind.sh) is the only deployment logic.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot

function Fail([string]$Message) { Write-Host "error: $Message" -ForegroundColor Red; exit 1 }

if ($args.Count -ge 1 -and [string]$args[0] -match '^(-h|--help|-\?|/\?)$' -and $args.Count -eq 1) {
  Get-Content -LiteralPath $PSCommandPath | Select-Object -Skip 1 -First 17 | ForEach-Object { $_ -replace '^  ', '' }
  exit 0
}

# Runs a native command with stderr shown as it comes (Windows PowerShell would turn it into errors otherwise).
function Invoke-Native([scriptblock]$Command) {
  $saved = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  try { & $Command | Out-Host } finally { $ErrorActionPreference = $saved }
  return $LASTEXITCODE
}

function Test-Wsl {
  if (-not (Get-Command wsl.exe -ErrorAction SilentlyContinue)) { return $false }
  $code = Invoke-Native { wsl.exe -e sh -c 'command -v bash >/dev/null && command -v docker >/dev/null' 2>$null }
  return ($code -eq 0)
}

function Find-GitBash {
  $git = Get-Command git.exe -ErrorAction SilentlyContinue
  $candidates = @()
  if ($git) { $candidates += (Join-Path (Split-Path (Split-Path $git.Source)) 'bin\bash.exe') }
  $candidates += (Join-Path $env:ProgramFiles 'Git\bin\bash.exe')
  foreach ($c in $candidates) { if ($c -and (Test-Path -LiteralPath $c)) { return $c } }
  return $null
}

$forward = @($args | ForEach-Object { [string]$_ })

if (Test-Wsl) {
  $linuxRoot = (wsl.exe -e wslpath -a "$Root" | Out-String).Trim()
  if (-not $linuxRoot) { Fail "wslpath could not translate $Root" }
  Write-Host "==> running ./deploy.sh in WSL ($linuxRoot)"
  $code = Invoke-Native { wsl.exe -e bash -c 'cd "$1" && shift && exec ./deploy.sh "$@"' deploy "$linuxRoot" @forward }
  exit $code
}

$bash = Find-GitBash
if ($bash) {
  Write-Warning ("WSL with Docker is not available, so ./deploy.sh runs in Git Bash and the brokers' data is on NTFS, " +
    "where Kafka's segment renames can fail (KAFKA-1194). Better: install WSL 2 ('wsl --install'), turn on Docker " +
    "Desktop's WSL integration, install kind and kubectl in WSL, and run this again.")
  $code = Invoke-Native { & $bash -c 'cd "$1" && shift && exec ./deploy.sh "$@"' deploy ($Root -replace '\\', '/') @forward }
  exit $code
}

Fail ("neither WSL 2 with Docker nor Git Bash found. Install WSL 2 ('wsl --install'), turn on Docker Desktop's WSL " +
  "integration (Settings > Resources > WSL integration), install kind and kubectl in WSL; or install Git for Windows.")
