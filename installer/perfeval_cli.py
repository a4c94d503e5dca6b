"""Entry of the frozen command line ``perfeval-desktop`` (installer/perfeval-desktop.spec).

The same as ``perfeval_desktop.cli:main``; ``--self-test`` is accepted as a spelling of the
``self-test`` command so that both programs of the bundle take the same smoke-test flags::

    perfeval-desktop --self-test --basedir DIR   ==   perfeval-desktop self-test --basedir DIR
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from perfeval_desktop.cli import main as cli_main
    from perfeval_desktop.gcpause import no_collection_at_exit

    if argv is None:  # this process's own command line, as cli.main takes it
        no_collection_at_exit()
    args = sys.argv[1:] if argv is None else argv
    return cli_main(["self-test" if a == "--self-test" else a for a in args])


if __name__ == "__main__":
    raise SystemExit(main())
