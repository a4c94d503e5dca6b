; Inno Setup 6 script of 绩效自评填报助手 (issue #5). Build it with installer\build-windows.ps1,
; which first builds dist\perfeval-desktop\ with installer\perfeval-desktop.spec, smoke-tests it,
; then runs:
;   ISCC /DAppVersion=<perfeval_desktop.__version__> /DAppVersionNumeric=<a.b.c.d> installer\perfeval-desktop.iss
; Output: dist\perfeval-desktop-<version>-setup.exe
;
; - Installs per user without administrator rights (%LOCALAPPDATA%\Programs\perfeval-desktop);
;   run by an administrator, the first page offers "install for all users" (Program Files).
; - Never touches the clerk's data: reports (.pfe) live wherever the clerk saved them; autosaves,
;   settings and the bureau's own templates live in %LOCALAPPDATA%\perfeval-desktop (platformdirs),
;   which is outside the program folder and which the uninstaller does not delete.
; - AppId is fixed forever: a newer version installs over the old one in place.
; This file is UTF-8 with a byte-order mark (Inno Setup reads the Chinese text correctly).

#ifndef AppVersion
  #error AppVersion is not defined. Build with installer\build-windows.ps1 (it passes /DAppVersion=... read from perfeval_desktop\__init__.py).
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif

#define AppName "绩效自评填报助手"
#define AppShortName "perfeval-desktop"
#define AppPublisher "绩效自评填报助手项目组"
#define GuiExe "perfeval-desktop-gui.exe"
#define CliExe "perfeval-desktop.exe"
; `make windows` passes /DBundleDir=<dist\windows\perfeval-desktop> and /O<dist\windows>
#ifndef BundleDir
#define BundleDir "..\dist\perfeval-desktop"
#endif
#define DataFolder "perfeval-desktop"
#define ProgId "PerfevalDesktop.Report"

; The Simplified-Chinese wizard messages: installer\ChineseSimplified.isl, kept in the repository
; and matched to the Inno Setup version the builds use (6.4.1: `make windows` runs ISCC from the npm
; package innosetup@6.4.1; tests/installer/ checks that its message names match). Inno Setup 6.4
; ships this translation only as "unofficial", so no build depends on the compiler's Languages.
#define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"

[Setup]
AppId={{0B58BF6A-AC4D-4665-8072-777B8D722844}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoDescription={#AppName} 安装程序
; {autopf}\perfeval-desktop, i.e. %LOCALAPPDATA%\Programs\… per user (see DefaultAppDir below)
DefaultDirName={code:DefaultAppDir}\{#AppShortName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or later
MinVersion=10.0.17763
OutputDir=..\dist
OutputBaseFilename={#AppShortName}-{#AppVersion}-setup
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
chinesesimplified.AssocDescription=绩效自评报告
chinesesimplified.DataKept=程序已卸载。%n%n您保存的报告文件（.pfe）不受影响；自动保存的文件、设置和自定义模板仍保留在：%n%1%n%n换电脑或不再需要时，可以复制或手动删除这个文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the program's libraries completely (never the clerk's data: that is elsewhere)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; .pfe opens in the editor. HKA = HKCU for a per-user install, HKLM for all users.
Root: HKA; Subkey: "Software\Classes\.pfe"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.pfe\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:AssocDescription}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#GuiExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#GuiExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#GuiExe}\SupportedTypes"; ValueType: string; ValueName: ".pfe"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only the files it installed.
; The clerk's reports, autosaves, settings and templates (%LOCALAPPDATA%\{#DataFolder}) stay.

[Code]
// {autopf}: Program Files for all users, FOLDERID_UserProgramFiles (%LOCALAPPDATA%\Programs) per
// user. Wine 8 cannot resolve FOLDERID_UserProgramFiles: SHGetKnownFolderPath returns
// E_INVALIDARG for it whatever the registry says (shell32 marks it "Disallowed"), and Setup then
// aborts with "Failed to expand shell folder constant autopf". Per user, fall back to the very
// folder Windows defines for it; Windows itself always resolves {autopf} and never gets here.
function DefaultAppDir(Param: String): String;
begin
  try
    Result := ExpandConstant('{autopf}');
  except
    if IsAdminInstallMode then
      RaiseException(GetExceptionMessage);
    Log('{autopf} not resolved (' + GetExceptionMessage + '): using {localappdata}\Programs');
    Result := ExpandConstant('{localappdata}\Programs');
  end;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\{#DataFolder}')]),
      mbInformation, MB_OK);
end;
