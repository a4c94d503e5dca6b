"""Cells as Excel and WPS put them on the clipboard: tab-separated, a cell with a tab, a
line break or a quote in double quotes (quotes doubled).  No Qt here."""

from __future__ import annotations


def _quote(cell: str) -> str:
    if any(ch in cell for ch in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def to_tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(_quote(c) for c in row) + "\r\n" for row in rows)


def parse_tsv(text: str) -> list[list[str]]:
    """The rows of cells in ``text``; the line break after the last row is not a row."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    at_start = True  # at the start of a cell: a quote there opens a quoted cell
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            end = i + 1
            while end < n:
                if text[end] == '"':
                    if end + 1 < n and text[end + 1] == '"':
                        cell.append('"')
                        end += 2
                        continue
                    break
                cell.append(text[end])
                end += 1
            i = end + 1
            at_start = False
            continue
        at_start = False
        if ch == "\t":
            row.append("".join(cell))
            cell, at_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_start = [], [], True
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows
