<#
.SYNOPSIS
  Builds the Windows installer of 绩效自评填报助手: dist\perfeval-desktop-<version>-setup.exe.

.DESCRIPTION
  On a Windows 10/11 x64 machine with Python 3.11+ and Inno Setup 6 (issue #5):
    1. creates .venv (if missing) and installs the program with constraints.txt and the
       pinned PyInstaller of the `bundle` extra;
    2. builds dist\perfeval-desktop\ with installer\perfeval-desktop.spec — the same spec,
       entry points and data folders as `make bundle` on Linux;
    3. checks the programs' version resource against perfeval_desktop.__version__;
    4. runs the frozen smoke test of both programs (--self-test, with --basedir in a temp folder);
    5. runs ISCC with /DAppVersion=<version> (the single version source).
  With -Wheelhouse it installs from a folder of wheels only (an offline build machine).
  Inno Setup 6.4.1 (the version `make windows` uses); its Simplified-Chinese messages are
  installer\ChineseSimplified.isl, kept in the repository.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1 -Python "py -3.11" -Wheelhouse D:\wheels
#>
[CmdletBinding()]
param(
    [string]$Python = "python",      # the Python 3.11+ that creates .venv ("py -3.11" works too)
    [string]$Iscc = "",              # ISCC.exe; default: Inno Setup 6 in Program Files or PATH
    [string]$Wheelhouse = "",        # install from these wheels only (no network)
    [switch]$SkipSelfTest
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$BundleDir = Join-Path $Root "dist\perfeval-desktop"
$GuiExe = Join-Path $BundleDir "perfeval-desktop-gui.exe"
$CliExe = Join-Path $BundleDir "perfeval-desktop.exe"
$VenvPython = Join-Path $Root ".venv\Scripts\python.exe"

function Invoke-Checked {
    param([string]$What, [scriptblock]$Block)
    Write-Host "==> $What"
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# 1. the virtual environment with the pinned PyInstaller
if (-not (Test-Path $VenvPython)) {
    $parts = $Python -split " "
    $exe = $parts[0]
    $rest = @($parts | Select-Object -Skip 1)
    Invoke-Checked "create .venv" { & $exe @rest -m venv .venv }
}
$pipArgs = @("-m", "pip", "install", "--disable-pip-version-check", "-c", "constraints.txt")
if ($Wheelhouse) { $pipArgs += @("--no-index", "--find-links", $Wheelhouse) }
Invoke-Checked "install the program and PyInstaller" { & $VenvPython @pipArgs -e ".[test,bundle]" }

# 2. the one version (perfeval_desktop/__init__.py)
$Version = (& $VenvPython installer\build_info.py version).Trim()
$VersionNumeric = (& $VenvPython installer\build_info.py version-numeric).Trim()
if (-not $Version) { throw "could not read perfeval_desktop.__version__" }
Write-Host "==> version $Version ($VersionNumeric)"

# 3. the bundle
Invoke-Checked "icon" { & $VenvPython installer\make_icon.py --if-missing }
if (Test-Path $BundleDir) { Remove-Item -Recurse -Force $BundleDir }
Invoke-Checked "PyInstaller" {
    & $VenvPython -m PyInstaller --noconfirm --log-level WARN --distpath dist `
        --workpath build\pyinstaller installer\perfeval-desktop.spec
}
foreach ($exe in @($GuiExe, $CliExe)) {
    if (-not (Test-Path $exe)) { throw "$exe was not built" }
    $product = (Get-Item $exe).VersionInfo.ProductVersion
    if ($product -ne $Version) { throw "$exe has version '$product', expected '$Version'" }
}
$size = (Get-ChildItem -Recurse -File $BundleDir | Measure-Object -Sum Length).Sum / 1MB
Write-Host ("==> bundle {0:N1} MB" -f $size)

# 4. the frozen smoke test: templates, samples, exports reopened, Qt window (offscreen)
if (-not $SkipSelfTest) {
    $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("perfeval-self-test-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        Invoke-Checked "frozen self-test (command line)" {
            & $CliExe --self-test --basedir (Join-Path $tmp "cli")
        }
        # the window program has no console: it writes its lines to <basedir>\self-test.log
        Write-Host "==> frozen self-test (window program)"
        $guiBase = Join-Path $tmp "gui"
        $env:QT_QPA_PLATFORM = "offscreen"
        $proc = Start-Process -FilePath $GuiExe -Wait -PassThru -NoNewWindow `
            -ArgumentList @("--self-test", "--basedir", "`"$guiBase`"")
        Remove-Item Env:\QT_QPA_PLATFORM
        $log = Join-Path $guiBase "self-test.log"
        if (Test-Path $log) { Get-Content -Encoding UTF8 $log | Write-Host }
        if ($proc.ExitCode -ne 0) { throw "frozen self-test (window program) failed: exit $($proc.ExitCode)" }
    }
    finally {
        Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
    }
}

# 5. the installer
if (-not $Iscc) {
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    $Iscc = $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    if (-not $Iscc) {
        $cmd = Get-Command ISCC.exe -ErrorAction SilentlyContinue
        if ($cmd) { $Iscc = $cmd.Source }
    }
}
if (-not $Iscc -or -not (Test-Path $Iscc)) { throw "Inno Setup 6 (ISCC.exe) not found: install it or pass -Iscc" }
# the Simplified-Chinese messages are kept in the repository, matched to Inno Setup 6.4.1
if (-not (Test-Path (Join-Path $Root "installer\ChineseSimplified.isl"))) {
    throw "installer\ChineseSimplified.isl is missing (it is kept in the repository)"
}
Invoke-Checked "Inno Setup" {
    & $Iscc /Q "/DAppVersion=$Version" "/DAppVersionNumeric=$VersionNumeric" installer\perfeval-desktop.iss
}
$Setup = Join-Path $Root "dist\perfeval-desktop-$Version-setup.exe"
if (-not (Test-Path $Setup)) { throw "$Setup was not produced" }
$setupSize = (Get-Item $Setup).Length / 1MB
Write-Host ("==> {0} ({1:N1} MB)" -f $Setup, $setupSize)
