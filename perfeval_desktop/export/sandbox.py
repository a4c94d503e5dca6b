"""The Jinja sandbox templates run in, with budgets (issue #13 §2).

A template from a USB stick must not hang or exhaust the program: ``{{ 9**(9**9) }}``,
``{{ 'x'*10**9 }}``, ``'x'.center(10**9)`` or nested ``range(100000)`` loops.  The
:class:`BudgetedSandbox` refuses ``**`` and ``*`` past a size, any call or filter given a
count past :data:`MAX_COUNT`, results longer than :data:`MAX_TEXT` and ``range`` items past
:data:`MAX_ITEMS` in one rendering; :func:`deadline` stops whatever still runs after
:data:`TIME_LIMIT_S` seconds.  Each refusal is a :class:`BudgetExceeded` with a Chinese
reason, turned by the callers into a message naming the file and the cell or placeholder.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEXT = 1_000_000  # characters (or items) of any one value a template makes
MAX_COUNT = 100_000  # an integer given to a call or filter (widths, repeats, counts)
MAX_ITEMS = 100_000  # range() items in one rendering, all loops together
MAX_POWER_DIGITS = 100  # digits of a ** result
TIME_LIMIT_S = 20.0  # one template file, all its placeholders


class BudgetExceeded(Exception):
    """A template went past a budget; ``str()`` is the Chinese reason."""


class _Deadline(BaseException):
    """Raised asynchronously into the rendering thread (BaseException: no ``except
    Exception`` inside Jinja or a library may swallow it)."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict)) else 0


def _checked(value: Any) -> Any:
    if _size(value) > MAX_TEXT:
        raise BudgetExceeded(f"生成的内容过长（超过 {MAX_TEXT} 个字符或项）")
    return value


def _count_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_COUNT:
            raise BudgetExceeded(f"数值 {arg} 过大（用作宽度、次数或个数时不能超过 {MAX_COUNT}）")


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with budgets on size, count and time."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, **options: Any) -> None:
        options.setdefault("undefined", StrictUndefined)
        super().__init__(**options)
        self.items_left = MAX_ITEMS
        self.globals["range"] = self._range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def reset(self) -> None:
        self.items_left = MAX_ITEMS

    def _range(self, *args: int) -> range:
        _count_args(args, {})
        rng = range(*args)
        self.items_left -= len(rng)
        if self.items_left < 0:
            raise BudgetExceeded(f"range() 循环的总次数超过 {MAX_ITEMS}")
        return rng

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            _power_fits(left, right)
            return _checked(left**right)
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) and isinstance(times, int) and _size(seq) * times > MAX_TEXT:
                    raise BudgetExceeded(f"重复生成的内容过长（超过 {MAX_TEXT} 个字符或项）")
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > 4 * MAX_POWER_DIGITS:
                    raise BudgetExceeded("乘积的位数过多")
            return _checked(left * right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _count_args(args, kwargs)
        return _checked(super().call(__context, __obj, *args, **kwargs))


def _power_fits(left: Any, right: Any) -> None:
    if not isinstance(left, (int, float)) or not isinstance(right, (int, float)):
        return
    if abs(left) <= 1:
        return
    import math

    digits = abs(right) * math.log10(abs(left)) if left else 0
    if digits > MAX_POWER_DIGITS:
        raise BudgetExceeded(f"乘方 {left}**{right} 的结果过大（超过 {MAX_POWER_DIGITS} 位）")


def _bounded_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _count_args(args[1:], kwargs)
        return _checked(func(*args, **kwargs))

    return bounded


def _set_async_exc(tid: int, exc: type[BaseException] | None) -> None:
    """``exc`` raised in the thread ``tid`` at its next bytecode (None: the pending one
    dropped).  ctypes is imported here, when a deadline fires: not by every export."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(tid), ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Stop the code inside after ``seconds`` (default :data:`TIME_LIMIT_S`) with
    :class:`BudgetExceeded`: an exception is raised asynchronously into this thread, so
    even a plain loop in compiled template code stops."""
    limit = TIME_LIMIT_S if seconds is None else seconds
    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(tid, _Deadline)

    timer = threading.Timer(limit, fire)
    timer.daemon = True
    started = time.monotonic()
    timer.start()
    try:
        yield
    except _Deadline:
        raise BudgetExceeded(
            f"计算超过 {limit:g} 秒仍未完成（已用 {time.monotonic() - started:.0f} 秒），"
            "可能含有过多的循环"
        ) from None
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:  # raised too late to land inside: do not let it land later
                _set_async_exc(tid, None)
