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

  Runs 'wsl.exe --cd <this folder> -e bash -l ./deploy.sh <options>' in WSL 2 (the default distribution, with Docker
  Desktop's WSL integration turned on for it). bash -l is a login shell: kind and kubectl installed inside WSL (in
  ~/.local/bin, or a directory your ~/.profile puts on the PATH) are found as in a WSL terminal. Install them inside
  WSL (./deploy.sh doctor says how), not with winget: bash in WSL does not run kind.exe or kubectl.exe.
  Kafka on an NTFS directory fails at segment renames (KAFKA-1194), so when this checkout sits on a Windows drive,
  deploy.sh keeps the brokers' data in ~/.local/share/kafka-on-kind inside WSL. --data-dir C:\dir is handed on as
  /mnt/c/dir with a warning (NTFS again); a WSL path (--data-dir ~/kafka-data) is handed on as it is.
  Without WSL it falls back to Git for Windows' bash (Git Bash), with a warning: the data is then on NTFS.
#>
# Nothing is reimplemented here: deploy.sh (deploy/kind/deploy-kind.sh) is the only deployment logic.
# Windows PowerShell 5.1 (and PowerShell 7.0-7.2) builds a native command's command line without escaping embedded
# double quotes, drops empty arguments, and writes an argument with a space and a trailing backslash as "...\", which
# the callee reads as an escaped quote. So no argument handed to wsl.exe or bash.exe here has any of these forms:
# literals are plain words or single-quoted strings, the folder comes through wsl.exe --cd (no 'cd "$1"' script),
# and a user's argument of such a form is refused (Assert-NativeArgument) rather than passed on mangled.
# Keep this file ASCII: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot

function Fail([string]$Message) { Write-Host "error: $Message" -ForegroundColor Red; exit 1 }

if ($args.Count -eq 1 -and [string]$args[0] -match '^(-h|--help|-\?|/\?)$') {
  $lines = @(Get-Content -LiteralPath $PSCommandPath)
  $lines[1..([array]::IndexOf($lines, '#>') - 1)] | ForEach-Object { $_ -replace '^  ', '' }
  exit 0
}

# Runs a native command for its exit status alone: its output (stdout and stderr) is discarded, and its stderr cannot
# stop the script (Windows PowerShell turns redirected stderr into errors).
function Invoke-Quiet([scriptblock]$Command) {
  $saved = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  try { & $Command 2>&1 | Out-Null } finally { $ErrorActionPreference = $saved }
  return $LASTEXITCODE
}

# WSL usable: a distribution whose login shell is bash and finds docker (Docker Desktop's WSL integration).
function Test-Wsl {
  if (-not (Get-Command wsl.exe -ErrorAction SilentlyContinue)) { return $false }
  return ((Invoke-Quiet { wsl.exe -e bash -l -c 'command -v docker' }) -eq 0)
}

function Find-GitBash {
  $git = Get-Command git.exe -ErrorAction SilentlyContinue
  $candidates = @()
  if ($git) { $candidates += (Join-Path (Split-Path (Split-Path $git.Source)) 'bin\bash.exe') }
  if ($env:ProgramFiles) { $candidates += (Join-Path $env:ProgramFiles 'Git\bin\bash.exe') }
  foreach ($c in $candidates) { if ($c -and (Test-Path -LiteralPath $c)) { return $c } }
  return $null
}

function Assert-NativeArgument([string]$Value) {
  if ($Value -eq '') { Fail "an empty argument cannot be handed on to deploy.sh by Windows PowerShell: leave it out" }
  if ($Value.Contains('"')) { Fail "the argument [$Value] contains a double quote, which Windows PowerShell does not hand on intact" }
  if ($Value -match '\s' -and $Value.EndsWith('\')) { Fail "the argument [$Value] has a space and ends with a backslash, which Windows PowerShell does not hand on intact: drop the final backslash" }
}

# A --data-dir value as the Linux side reads it. A Windows path (a drive letter, or any backslash) is made absolute and
# mapped here, C:\x\y -> <prefix>c/x/y (/mnt/ in WSL, its default automount root; / in Git Bash), rather than by
# wslpath, whose answer would come back through the console's OEM code page and garble non-ASCII names (C:\Users\Jose
# with an accent). Anything else (/path, ~/path, a relative path) is a Linux path and goes on as it is.
function ConvertTo-LinuxPath([string]$Path, [string]$DrivePrefix) {
  if ($Path -notmatch '^[A-Za-z]:' -and -not $Path.Contains('\')) { return $Path }
  $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
  if ($full -notmatch '^([A-Za-z]):[\\/]*(.*)$') {
    Fail "--data-dir ${Path}: only a path on a drive letter can be handed on (not ${full}); or give a Linux path such as ~/kafka-data"
  }
  $linux = ($DrivePrefix + $Matches[1].ToLowerInvariant() + '/' + ($Matches[2] -replace '[\\/]+', '/')).TrimEnd('/')
  if ($DrivePrefix -eq '/mnt/') {
    Write-Warning ("--data-dir $Path is $linux in WSL, a Windows drive (NTFS), where Kafka's segment renames fail " +
      "(KAFKA-1194): better a directory of the WSL file system, e.g. --data-dir ~/kafka-data")
  }
  return $linux
}

# deploy.sh's arguments as given, with --data-dir D / --data-dir=D converted; each one checked for the forms above.
function ConvertTo-DeployArguments([string[]]$Given, [string]$DrivePrefix) {
  $out = New-Object 'System.Collections.Generic.List[string]'
  for ($i = 0; $i -lt $Given.Count; $i++) {
    $a = $Given[$i]
    if ($a -eq '--data-dir' -and $i + 1 -lt $Given.Count) {
      $out.Add($a)
      $i++
      $out.Add((ConvertTo-LinuxPath $Given[$i] $DrivePrefix))
    } elseif ($a.StartsWith('--data-dir=')) {
      $out.Add('--data-dir=' + (ConvertTo-LinuxPath $a.Substring(11) $DrivePrefix))
    } else {
      $out.Add($a)
    }
  }
  foreach ($a in $out) { Assert-NativeArgument $a }
  return ,$out.ToArray()
}

$given = @($args | ForEach-Object { [string]$_ })

if (Test-Wsl) {
  # wsl.exe --cd takes this Windows folder as it is (a space, any Unicode letter) and starts there in its Linux form.
  if ((Invoke-Quiet { wsl.exe --cd $Root -e true }) -ne 0) {
    Fail ("wsl.exe could not start in $Root. Update WSL ('wsl --update': --cd needs a current wsl.exe), or clone the " +
      "repository inside WSL (~/src/...) and run ./deploy.sh there.")
  }
  $forward = ConvertTo-DeployArguments $given '/mnt/'
  Write-Host "==> running ./deploy.sh in WSL: wsl.exe --cd $Root -e bash -l ./deploy.sh $forward"
  # Not piped: deploy.sh writes to the console itself (no re-encoding through PowerShell), and its status is ours.
  $ErrorActionPreference = 'Continue'
  & wsl.exe --cd $Root -e bash -l ./deploy.sh @forward
  $code = $LASTEXITCODE
  exit $code
}

$bash = Find-GitBash
if ($bash) {
  Write-Warning ("WSL with Docker is not available, so ./deploy.sh runs in Git Bash and the brokers' data is on NTFS, " +
    "where Kafka's segment renames can fail (KAFKA-1194). Better: install WSL 2 ('wsl --install'), turn on Docker " +
    "Desktop's WSL integration, install kind and kubectl inside WSL (./deploy.sh doctor there says how), and run this again.")
  $forward = ConvertTo-DeployArguments $given '/'
  # bash starts in the current location, this folder (PowerShell starts a native command in its current location).
  Push-Location -LiteralPath $Root
  $ErrorActionPreference = 'Continue'
  try { & $bash ./deploy.sh @forward; $code = $LASTEXITCODE } finally { Pop-Location }
  exit $code
}

Fail ("neither WSL 2 with Docker nor Git Bash found. Install WSL 2 ('wsl --install'), turn on Docker Desktop's WSL " +
  "integration (Settings > Resources > WSL integration), and install kind and kubectl inside WSL: kind with " +
  "'go install sigs.k8s.io/kind@<version in versions.env>' or its Linux release binary in ~/.local/bin, kubectl from " +
  "the Kubernetes apt repository or its Linux binary in ~/.local/bin (./deploy.sh doctor in WSL says which versions). " +
  "Or install Git for Windows.")
