"""The Wine prefix of `make windows`: Windows 10, CJK fonts for 宋体/仿宋/黑体, one server."""

from __future__ import annotations

from context import Context
from wine import StepFailed

# Wine has no 宋体/仿宋/黑体: the names the exports and the print preview ask for go to the Noto
# CJK fonts of fonts-noto-cjk, which Wine finds through fontconfig. Serif for 宋体/仿宋 (a
# Song/Ming face), sans for 黑体.
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
FONT_MAP = {
    "SimSun": SERIF, "宋体": SERIF, "NSimSun": SERIF, "新宋体": SERIF,
    "FangSong": SERIF, "仿宋": SERIF, "FangSong_GB2312": SERIF, "仿宋_GB2312": SERIF,
    "SimHei": SANS, "黑体": SANS, "Microsoft YaHei": SANS, "微软雅黑": SANS,
}
REPLACEMENTS = r"HKCU\Software\Wine\Fonts\Replacements"
SUBSTITUTES = r"HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes"


def prefix(ctx: Context) -> str:
    """A prefix of our own (created once), reporting Windows 10, with the font map."""
    created = not (ctx.prefix / "system.reg").exists()
    if created:
        ctx.prefix.mkdir(parents=True, exist_ok=True)
        ctx.wine.run(["wineboot", "-i"], "wineboot", timeout=600)
    ctx.wine.start_server()
    ctx.wine.run(["winecfg", "-v", "win10"], "winecfg")
    version = ctx.wine.reg_query(r"HKLM\Software\Microsoft\Windows NT\CurrentVersion",
                                 "CurrentBuildNumber")
    if not version or int(version) < 17763:
        raise StepFailed(f"the prefix reports Windows build {version}, the installer needs 17763+")
    for name, font in FONT_MAP.items():
        ctx.wine.reg_add(REPLACEMENTS, name, font)
        ctx.wine.reg_add(SUBSTITUTES, name, font)
    return (f"{'new' if created else 'kept'} {ctx.prefix.relative_to(ctx.root)}, Windows build "
            f"{version}; 宋体/仿宋 → {SERIF}, 黑体 → {SANS}")
