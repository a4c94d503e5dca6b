"""绩效自评填报助手 (perfeval-desktop): 项目支出绩效自评报告的填报、计分、校验与导出."""

__version__ = "0.1.0"
APP_NAME = "绩效自评填报助手"
APP_ID = "perfeval-desktop"

# the Chinese font aliases on Linux, before Qt or LibreOffice reads fontconfig
from .fonts import use_font_aliases  # noqa: E402

use_font_aliases()
