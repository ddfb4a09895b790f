<#
.SYNOPSIS
  The kind deployment for Windows (PowerShell 5.1 or 7): the same verbs and options as ./deploy.sh.

.DESCRIPTION
  .\deploy.ps1 [up] [--data-dir D] [--http-port P] [--https-port P] [--with-ui] [--no-smoke]
      create or repair the kind cluster (1 control-plane + 3 workers), build and load the service images, apply
      deploy/k8s/overlays/kind, wait, smoke-test through http://localhost
  .\deploy.ps1 down [--purge]   delete the cluster; the brokers' data stays in the data directory unless --purge
  .\deploy.ps1 status           nodes and pods, then 'gateway: URL' and 'bootstrap: ...' lines
  .\deploy.ps1 --help

  Needs Docker Desktop (Linux containers), kind and kubectl on PATH (kind.exe may also sit in .cache\bin). The data
  directory defaults to .\data\kind; Windows paths (C:\...) are handed to kind as C:/... which Docker Desktop mounts.
  Environment overrides as in deploy/kind/deploy-kind.sh: KIND_CLUSTER_NAME, KIND_LISTEN_ADDRESS, KIND_NODE_IMAGE,
  KAFKA_IMAGE, TRAEFIK_IMAGE, KAFKA_UI_IMAGE, PRODUCER_IMAGE, CONSUMER_IMAGE, BUILDER_IMAGE, RUNTIME_IMAGE.
  comandos.bat runs this script with the same arguments.
#>
# Options are parsed by hand (not a param() block) so they are spelled exactly as for ./deploy.sh.
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$Here = Join-Path $Root 'deploy\kind'
$Work = Join-Path $Root '.cache\kind-deploy'
$Namespace = 'kok'
$Brokers = @('kafka-0', 'kafka-1', 'kafka-2')

function Say([string]$Message) { Write-Host "==> $Message" }
function Warn([string]$Message) { Write-Warning $Message }
function Fail([string]$Message) { Write-Host "error: $Message" -ForegroundColor Red; exit 1 }

function Show-Usage {
  Get-Content -LiteralPath $PSCommandPath | Select-Object -Skip 5 -First 12 | ForEach-Object { $_ -replace '^  ', '' }
}

# Runs a native command; stderr is shown as it comes, and a non-zero exit ends the script with $What.
function Invoke-Native([string]$What, [scriptblock]$Command) {
  $saved = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'  # Windows PowerShell turns native stderr into terminating errors otherwise
  try { & $Command } finally { $ErrorActionPreference = $saved }
  if ($LASTEXITCODE -ne 0) { Fail "$What failed (exit code $LASTEXITCODE)" }
}

# Runs a native command and returns its output lines, or $null when it fails (used for questions, not actions).
function Get-NativeOutput([scriptblock]$Command) {
  $saved = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  try { $out = & $Command 2>$null } catch { $out = $null } finally { $ErrorActionPreference = $saved }
  if ($LASTEXITCODE -ne 0) { return $null }
  return $out
}

# ------------------------------------------------------------------------------------------------------- versions

# versions.env: KEY=VALUE lines; a value already in the environment wins (same rule as scripts/lib/common.sh).
$Versions = @{}
foreach ($line in Get-Content -LiteralPath (Join-Path $Root 'versions.env')) {
  if ($line -match '^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$') {
    $value = [Environment]::GetEnvironmentVariable($Matches[1])
    if ([string]::IsNullOrEmpty($value)) { $value = $Matches[2] }
    $Versions[$Matches[1]] = $value
  }
}
foreach ($pin in 'KAFKA_VERSION', 'KAFKA_CLUSTER_ID', 'KIND_VERSION', 'KIND_NODE_IMAGE', 'KUBERNETES_VERSION',
                 'TRAEFIK_VERSION', 'KAFKA_UI_VERSION') {
  if (-not $Versions.ContainsKey($pin)) { Fail "$pin is not set in versions.env" }
}

function Get-Setting([string]$Name, [string]$Default) {
  $value = [Environment]::GetEnvironmentVariable($Name)
  if ([string]::IsNullOrEmpty($value)) { return $Default } else { return $value }
}

$Cluster = Get-Setting 'KIND_CLUSTER_NAME' 'kok'
$Context = "kind-$Cluster"

# ------------------------------------------------------------------------------------------------------ arguments

$Verb = 'up'
$DataDir = Join-Path $Root 'data\kind'
$HttpPort = 80
$HttpsPort = 443
$WithUi = $false
$Purge = $false
$Smoke = $true
for ($i = 0; $i -lt $args.Count; $i++) {
  $arg = [string]$args[$i]
  switch -Regex ($arg) {
    '^(up|down|status)$' { $Verb = $arg; continue }
    '^--data-dir$' { $i++; if ($i -ge $args.Count) { Fail '--data-dir needs a directory' }; $DataDir = [string]$args[$i]; continue }
    '^--data-dir=' { $DataDir = $arg.Substring(11); continue }
    '^--http-port$' { $i++; if ($i -ge $args.Count) { Fail '--http-port needs a port' }; $HttpPort = [int]$args[$i]; continue }
    '^--http-port=' { $HttpPort = [int]$arg.Substring(12); continue }
    '^--https-port$' { $i++; if ($i -ge $args.Count) { Fail '--https-port needs a port' }; $HttpsPort = [int]$args[$i]; continue }
    '^--https-port=' { $HttpsPort = [int]$arg.Substring(13); continue }
    '^--with-ui$' { $WithUi = $true; continue }
    '^--purge$' { $Purge = $true; continue }
    '^--no-smoke$' { $Smoke = $false; continue }
    '^(-h|--help|-\?|/\?)$' { Show-Usage; exit 0 }
    default { Show-Usage; Fail "unknown argument: $arg" }
  }
}

# -------------------------------------------------------------------------------------------------- prerequisites

function Find-Tool([string]$Name) {
  $cmd = Get-Command $Name -ErrorAction SilentlyContinue
  if ($cmd) { return $cmd.Source }
  foreach ($candidate in (Join-Path $Root ".cache\bin\$Name.exe"), (Join-Path $Root ".cache\bin\$Name")) {
    if (Test-Path -LiteralPath $candidate) { return $candidate }
  }
  return $null
}

function Test-Prerequisites {
  if (-not (Get-Command docker -ErrorAction SilentlyContinue)) {
    Fail 'docker not found: install Docker Desktop (Linux containers) and start it'
  }
  if ($null -eq (Get-NativeOutput { docker info --format '{{.ServerVersion}}' })) {
    Fail 'Docker is installed but not running: start Docker Desktop (Linux containers) and try again'
  }
  $script:Kind = Find-Tool 'kind'
  if (-not $script:Kind) { Fail "kind not found: 'winget install Kubernetes.kind' (the project pins $($Versions.KIND_VERSION)) or put kind.exe in .cache\bin" }
  $kindVersion = (Get-NativeOutput { & $script:Kind version }) -join ' '
  if ($kindVersion -notmatch [regex]::Escape($Versions.KIND_VERSION)) {
    Warn "kind '$kindVersion' found, the project pins $($Versions.KIND_VERSION) (its node image $($Versions.KIND_NODE_IMAGE))"
  }
  $script:Kubectl = Find-Tool 'kubectl'
  if (-not $script:Kubectl) { Fail "kubectl not found: 'winget install Kubernetes.kubectl'" }
  $script:Kustomize = Find-Tool 'kustomize'
}

function Invoke-Kubectl { & $script:Kubectl --context $Context @args }

# ---------------------------------------------------------------------------------------------------- the cluster

function Test-Cluster { return @(Get-NativeOutput { & $script:Kind get clusters }) -contains $Cluster }

function Test-PortOpen([int]$Port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return $client.ConnectAsync('127.0.0.1', $Port).Wait(500) } catch { return $false } finally { $client.Dispose() }
}

# Docker Desktop mounts Windows directories given as C:/path (a backslash would also be a YAML escape).
function ConvertTo-KindPath([string]$Path) { return ($Path -replace '\\', '/') }

function Initialize-DataDir {
  New-Item -ItemType Directory -Force -Path $script:DataDir | Out-Null
  $script:DataDir = (Resolve-Path -LiteralPath $script:DataDir).ProviderPath
  # Docker Desktop's file sharing lets the brokers' uid write here: no ownership to arrange as on Linux.
  foreach ($b in $Brokers) { New-Item -ItemType Directory -Force -Path (Join-Path $script:DataDir $b) | Out-Null }
}

function New-ClusterConfig([string]$OutFile) {
  $dir = (ConvertTo-KindPath $script:DataDir) -replace "'", "''"
  $text = Get-Content -LiteralPath (Join-Path $Here 'cluster.yaml') -Raw
  $text = $text.Replace('@NODE_IMAGE@', $Versions.KIND_NODE_IMAGE)
  $text = $text.Replace('@LISTEN_ADDRESS@', (Get-Setting 'KIND_LISTEN_ADDRESS' '127.0.0.1'))
  $text = $text.Replace('@HTTP_PORT@', [string]$HttpPort).Replace('@HTTPS_PORT@', [string]$HttpsPort)
  $text = $text.Replace('@DATA_DIR@', $dir)
  [IO.File]::WriteAllText($OutFile, $text)  # UTF-8 without BOM
}

function Initialize-Cluster {
  if (Test-Cluster) {
    $nodes = @(Get-NativeOutput { & $script:Kind get nodes --name $Cluster })
    if ($nodes.Count -ne 4) { Fail "cluster '$Cluster' has $($nodes.Count) nodes instead of 4: run '.\deploy.ps1 down' (the data is kept) and then '.\deploy.ps1 up'" }
    $stopped = @(Get-NativeOutput { docker ps -a --filter "label=io.x-k8s.kind.cluster=$Cluster" --filter status=exited --format '{{.Names}}' })
    if ($stopped.Count -gt 0) {
      Say "starting stopped nodes: $($stopped -join ' ')"
      Invoke-Native 'docker start' { docker start @stopped | Out-Null }
    }
    Say "cluster '$Cluster': present (data in the directory it was created with)"
    return
  }
  if (Test-PortOpen $HttpPort) { Fail "port $HttpPort is taken on this machine: free it, or choose another with --http-port 8080" }
  if (Test-PortOpen $HttpsPort) { Fail "port $HttpsPort is taken on this machine: free it, or choose another with --https-port 8443" }
  New-Item -ItemType Directory -Force -Path $Work | Out-Null
  $config = Join-Path $Work 'cluster.yaml'
  New-ClusterConfig $config
  Say "creating kind cluster '$Cluster' (1 control-plane + 3 workers, $($Versions.KIND_NODE_IMAGE); data in $script:DataDir)"
  Invoke-Native 'kind create cluster' { & $script:Kind create cluster --name $Cluster --config $config --wait 180s }
}

function Get-GatewayUrl {
  $mapping = @(Get-NativeOutput { docker port "$Cluster-control-plane" 80/tcp }) | Select-Object -First 1
  $port = if ($mapping) { ($mapping -split ':')[-1] } else { '' }
  if (-not $port -or $port -eq '80') { return 'http://localhost' }
  return "http://localhost:$port"
}

function Get-Bootstrap { return (($Brokers | ForEach-Object { "$_.kafka-headless.$Namespace.svc.cluster.local:9092" }) -join ',') }

# --------------------------------------------------------------------------------------------------------- images

function Get-SourceTag {
  $paths = @('CMakeLists.txt', 'CMakePresets.json', 'cmake', 'libs', 'services', 'tests', 'images/service')
  $commit = Get-NativeOutput { git -C $Root rev-parse --short=12 HEAD }
  if (-not $commit) {
    $line = Select-String -LiteralPath (Join-Path $Root 'CMakeLists.txt') -Pattern 'project\([^)]*VERSION ([0-9.]+)' | Select-Object -First 1
    return $line.Matches[0].Groups[1].Value
  }
  $dirty = Get-NativeOutput { git -C $Root status --porcelain -- @paths }
  if (-not $dirty) { return [string]$commit }
  # A digest of the uncommitted changes: a rebuilt image never hides behind an older tag.
  $diff = (Get-NativeOutput { git -C $Root diff HEAD -- @paths }) -join "`n"
  $untracked = Get-NativeOutput { git -C $Root ls-files --others --exclude-standard -- @paths }
  foreach ($f in @($untracked)) { if ($f) { $diff += [IO.File]::ReadAllText((Join-Path $Root $f)) } }
  $sha = [Security.Cryptography.SHA256]::Create()
  $hex = -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($diff)) | ForEach-Object { $_.ToString('x2') })
  return "$commit-dirty-$($hex.Substring(0, 8))"
}

function Test-Image([string]$Image) { return $null -ne (Get-NativeOutput { docker image inspect $Image }) }

function Build-ServiceImage([string]$Service, [string]$Image) {
  if (Test-Image $Image) { Say "image ${Image}: already built"; return }
  $buildArgs = @('--build-arg', "SERVICE=$Service")
  foreach ($name in 'BUILDER_IMAGE', 'RUNTIME_IMAGE') {
    $value = Get-Setting $name ''
    if ($value) { $buildArgs += @('--build-arg', "$name=$value") }
  }
  Say "building $Image (first build compiles the service: a few minutes)"
  $env:DOCKER_BUILDKIT = '1'
  Invoke-Native "docker build $Image" { docker build -f (Join-Path $Root 'images\service\Dockerfile') @buildArgs -t $Image $Root }
}

function Import-Images([string[]]$Images) {
  foreach ($image in $Images) {
    if (Test-Image $image) {
      Say "loading $image into the nodes"
      Invoke-Native "kind load $image" { & $script:Kind load docker-image $image --name $Cluster | Out-Null }
    }
  }
}

# ------------------------------------------------------------------------------------------------------ manifests

function Get-ImageEntry([string]$Name, [string]$Ref) {
  $digest = ''
  $tag = ''
  if ($Ref.Contains('@')) { $digest = $Ref.Substring($Ref.IndexOf('@') + 1); $Ref = $Ref.Substring(0, $Ref.IndexOf('@')) }
  $lastPart = $Ref.Substring($Ref.LastIndexOf('/') + 1)
  $newName = $Ref
  if ($lastPart.Contains(':')) { $tag = $Ref.Substring($Ref.LastIndexOf(':') + 1); $newName = $Ref.Substring(0, $Ref.LastIndexOf(':')) }
  if (-not $tag -and -not $digest) { Fail "image $Ref has no tag: pin a version (':latest' is not accepted either)" }
  if ($tag -eq 'latest') { Fail "image ${Ref}: ':latest' is not accepted, pin a version" }
  $entry = "  - name: $Name`n    newName: $newName`n"
  if ($tag) { $entry += "    newTag: `"$tag`"`n" }
  if ($digest) { $entry += "    digest: $digest`n" }
  return $entry
}

# The overlay plus this run's choices, in a scratch kustomization under .cache (kustomize follows relative paths
# only); the repository's files are never modified by a deploy.
function New-Manifests {
  New-Item -ItemType Directory -Force -Path $Work | Out-Null
  $k = "# Generated by deploy.ps1 for one run; do not edit.`n"
  $k += "apiVersion: kustomize.config.k8s.io/v1beta1`nkind: Kustomization`nresources:`n  - ../../deploy/k8s/overlays/kind`n"
  if ($WithUi) { $k += "components:`n  - ../../deploy/k8s/components/kafka-ui`n" }
  $k += "images:`n"
  $k += Get-ImageEntry 'apache/kafka' $script:KafkaImage
  $k += Get-ImageEntry 'traefik' $script:TraefikImage
  $k += Get-ImageEntry 'kok-producer' $script:ProducerImage
  $k += Get-ImageEntry 'kok-consumer' $script:ConsumerImage
  if ($WithUi) { $k += Get-ImageEntry 'ghcr.io/kafbat/kafka-ui' $script:KafkaUiImage }
  $k += "configMapGenerator:`n  - name: kafka-cluster`n    namespace: $Namespace`n    behavior: replace`n"
  $k += "    literals:`n      - CLUSTER_ID=$($Versions.KAFKA_CLUSTER_ID)`n"
  [IO.File]::WriteAllText((Join-Path $Work 'kustomization.yaml'), $k)
  $manifests = Join-Path $Work 'manifests.yaml'
  if ($script:Kustomize) { $out = Get-NativeOutput { & $script:Kustomize build $Work } }
  else { $out = Get-NativeOutput { & $script:Kubectl kustomize $Work } }
  if ($null -eq $out) { Fail "rendering $Work failed: run 'kubectl kustomize $Work' to see why" }
  [IO.File]::WriteAllText($manifests, (($out -join "`n") + "`n"))
  return $manifests
}

function Wait-Rollout([string]$What, [string]$Ns, [string]$Timeout) {
  Say "waiting for $What in $Ns"
  & $script:Kubectl --context $Context -n $Ns rollout status $What --timeout $Timeout
  if ($LASTEXITCODE -ne 0) {
    & $script:Kubectl --context $Context -n $Ns get pods -o wide
    Fail "$What did not become ready within ${Timeout}: see 'kubectl --context $Context -n $Ns describe $What' and the pods' logs"
  }
}

# -------------------------------------------------------------------------------------------------------- smoke

# Status code and body of a request; 0 when the connection failed. (Invoke-WebRequest throws on 4xx/5xx.)
function Invoke-Http([string]$Method, [string]$Url, [string]$Body) {
  try {
    $params = @{ Method = $Method; Uri = $Url; UseBasicParsing = $true; TimeoutSec = 15 }
    if ($Body) { $params.Body = [Text.Encoding]::UTF8.GetBytes($Body); $params.ContentType = 'application/octet-stream' }
    $r = Invoke-WebRequest @params
    $content = if ($r.Content -is [byte[]]) { [Text.Encoding]::UTF8.GetString($r.Content) } else { [string]$r.Content }
    return @{ Status = [int]$r.StatusCode; Body = $content }
  } catch {
    $response = $null
    if ($_.Exception.PSObject.Properties['Response']) { $response = $_.Exception.Response }
    if ($response) { return @{ Status = [int]$response.StatusCode; Body = '' } }
    return @{ Status = 0; Body = '' }
  }
}

# The same check as deploy/kind/smoke-check.sh: create kok-smoke, send a unique value, read until it comes back.
function Test-Smoke([string]$Url) {
  $topic = 'kok-smoke'
  $value = "smoke-$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())-$PID"
  $r = @{ Status = 0 }
  for ($i = 0; $i -lt 30; $i++) {
    $r = Invoke-Http 'POST' "$Url/topic/$topic" ''
    if ($r.Status -eq 200 -or $r.Status -eq 201) { break }
    Start-Sleep -Seconds 2
  }
  if ($r.Status -ne 200 -and $r.Status -ne 201) { Fail "smoke check: POST $Url/topic/$topic answered $($r.Status)" }
  $r = Invoke-Http 'POST' "$Url/message/$topic" $value
  if ($r.Status -ne 200 -and $r.Status -ne 201) { Fail "smoke check: POST $Url/message/$topic answered $($r.Status)" }
  for ($i = 0; $i -lt 20; $i++) {
    $r = Invoke-Http 'GET' "$Url/consumer/$topic" ''
    if ($r.Status -eq 200 -and $r.Body.Contains("value: $value")) { Say "smoke check passed: $($r.Body.Trim())"; return }
    if ($r.Status -ne 200) { Start-Sleep -Seconds 1 }
  }
  Fail "smoke check: did not read back '$value' from $topic"
}

# ---------------------------------------------------------------------------------------------------------- verbs

function Invoke-Up {
  Test-Prerequisites
  Initialize-DataDir
  Initialize-Cluster

  $tag = Get-SourceTag
  $script:KafkaImage = Get-Setting 'KAFKA_IMAGE' "apache/kafka:$($Versions.KAFKA_VERSION)"
  $script:TraefikImage = Get-Setting 'TRAEFIK_IMAGE' "traefik:$($Versions.TRAEFIK_VERSION)"
  $script:KafkaUiImage = Get-Setting 'KAFKA_UI_IMAGE' "ghcr.io/kafbat/kafka-ui:$($Versions.KAFKA_UI_VERSION)"
  $script:ProducerImage = Get-Setting 'PRODUCER_IMAGE' ''
  $script:ConsumerImage = Get-Setting 'CONSUMER_IMAGE' ''
  if (-not $script:ProducerImage) { $script:ProducerImage = "kok-producer:$tag"; Build-ServiceImage 'producer' $script:ProducerImage }
  if (-not $script:ConsumerImage) { $script:ConsumerImage = "kok-consumer:$tag"; Build-ServiceImage 'consumer' $script:ConsumerImage }
  $images = @($script:KafkaImage, $script:TraefikImage, $script:ProducerImage, $script:ConsumerImage)
  if ($WithUi) { $images += $script:KafkaUiImage }
  Import-Images $images

  $manifests = New-Manifests
  Say 'applying deploy/k8s/overlays/kind'
  Invoke-Native 'kubectl apply' { Invoke-Kubectl apply -f $manifests }
  if (-not $WithUi) {
    Invoke-Native 'removing kafka-ui' { Invoke-Kubectl -n $Namespace delete deployment/kafka-ui service/kafka-ui networkpolicy/kafka-ui --ignore-not-found | Out-Null }
  }
  Wait-Rollout 'deployment/traefik' 'traefik' '180s'
  Wait-Rollout 'statefulset/kafka' $Namespace '600s'
  Wait-Rollout 'deployment/producer' $Namespace '180s'
  Wait-Rollout 'deployment/consumer' $Namespace '180s'
  if ($WithUi) { Wait-Rollout 'deployment/kafka-ui' $Namespace '300s' }

  $url = Get-GatewayUrl
  if ($Smoke) { Test-Smoke $url }
  Write-Host ''
  Write-Host 'Kafka on kind is up.'
  Write-Host "  gateway:    $url   (https on port $HttpsPort, self-signed)"
  Write-Host "  bootstrap:  $(Get-Bootstrap)   (inside the cluster)"
  Write-Host "  data:       $script:DataDir\{kafka-0,kafka-1,kafka-2}"
  Write-Host ''
  Write-Host 'Try it (curl.exe ships with Windows 10 and later):'
  Write-Host "  curl.exe -X POST $url/topic/demo"
  Write-Host "  curl.exe -X POST --data 'hello kafka' $url/message/demo"
  Write-Host "  curl.exe $url/demo"
  Write-Host "  curl.exe $url/topics/demo"
  Write-Host "  curl.exe -N $url/consumer/demo/stream"
  Write-Host ''
  Write-Host "  kubectl --context $Context -n $Namespace get pods -o wide"
  if ($WithUi) { Write-Host "  kubectl --context $Context -n $Namespace port-forward svc/kafka-ui 8081:8080   # then open http://localhost:8081" }
  Write-Host ''
  Write-Host 'Stop: .\deploy.ps1 down   (data kept; --purge deletes it)      State: .\deploy.ps1 status'
}

function Invoke-Status {
  Test-Prerequisites
  if (-not (Test-Cluster)) { Write-Host "cluster '$Cluster': not created (.\deploy.ps1 up creates it)"; exit 3 }
  Write-Host "cluster '${Cluster}':"
  Invoke-Kubectl get nodes -o wide
  Invoke-Kubectl -n $Namespace get statefulsets,deployments,pods -o wide
  Invoke-Kubectl -n traefik get pods -o wide
  Write-Host ''
  Write-Host "gateway: $(Get-GatewayUrl)"
  Write-Host "bootstrap: $(Get-Bootstrap)"
}

function Invoke-Down {
  Test-Prerequisites
  if (Test-Cluster) {
    if ($Purge) {
      # The brokers' files belong to uid 1000 inside the nodes; a node (root) removes them reliably.
      Get-NativeOutput { docker exec "$Cluster-worker" sh -c 'rm -rf /var/lib/kok-data/kafka-*' } | Out-Null
    }
    Say "deleting kind cluster '$Cluster'"
    Invoke-Native 'kind delete cluster' { & $script:Kind delete cluster --name $Cluster }
  } else {
    Say "cluster '$Cluster': not present"
  }
  if (Test-Path -LiteralPath $DataDir) {
    if ($Purge) {
      Say "deleting the brokers' data in $DataDir"
      Get-ChildItem -LiteralPath $DataDir -Filter 'kafka-*' | Remove-Item -Recurse -Force
    } else {
      Say "the brokers' data stays in $DataDir ('.\deploy.ps1 down --purge' deletes it)"
    }
  }
}

switch ($Verb) {
  'up' { Invoke-Up }
  'down' { Invoke-Down }
  'status' { Invoke-Status }
}
