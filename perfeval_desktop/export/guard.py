"""One net for every export stage: a library failing on odd content becomes an ExportError.

Each stage (filling the templates, writing each file) runs inside :func:`guarded`, so the
clerk always reads a Chinese message naming the stage, never a traceback (issue #13 §4).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from ..errors import ExportError, PerfevalError

T = TypeVar("T")
log = logging.getLogger(__name__)


def guarded(stage: str, run: Callable[[], T]) -> T:
    """``run()``; anything but a PerfevalError becomes an ExportError naming ``stage``."""
    try:
        return run()
    except PerfevalError:
        raise
    except RecursionError as exc:
        raise ExportError(
            f"{stage}时出错：模板或报告内容嵌套层数过多。请简化模板中的占位符后重试。"
        ) from exc
    except MemoryError as exc:
        raise ExportError(
            f"{stage}时出错：内容过大，内存不足。请检查模板是否会生成过多的行或文字。"
        ) from exc
    except Exception as exc:
        log.exception("export stage %s", stage)
        raise ExportError(
            f"{stage}时出错（{type(exc).__name__}: {exc}）。请检查报告内容或模板后重试。"
        ) from exc
