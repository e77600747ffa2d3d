"""The run's fidelity report: each generated frame against its declared shape.

Written by the plugin at the end of a run given ``--synthdata-report=PATH``:
one section per frame (test, schema, rows, seed), with ``describe``'s table,
the distances above their sampling noise marked.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

from ._files import write_text


def write_run_report(path: Path, records: list[dict[str, Any]], seed: int) -> Path:
    """Write the HTML page of ``records`` (one per frame) to ``path``."""
    sections = [_section(r) for r in records]
    far = sum(_far(row) for r in records for row in r["table"])
    body = "\n".join(sections) or "<p>No frame was generated.</p>"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>synthdata fidelity report</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ padding: 0.15em 0.7em; text-align: right; }}
tr.far td {{ background: #fde2e1; }}
h2 {{ font-size: 1.05em; margin-bottom: 0.2em; }}
</style></head><body>
<h1>Generated frames against their declared shapes</h1>
<p>{len(records)} frames, session seed {seed}. {far} figures lie beyond twice
their sampling noise (marked); stressed frames and scenarios depart from the
declared shape by design.</p>
{body}
</body></html>
"""
    return write_text(path, page)


def _far(row: dict[str, Any]) -> bool:
    d, noise = row.get("distance"), row.get("noise")
    return (
        isinstance(d, float)
        and isinstance(noise, float)
        and math.isfinite(d)
        and math.isfinite(noise)
        and d > 2 * noise
    )


def _section(record: dict[str, Any]) -> str:
    flags = []
    if record.get("stress"):
        flags.append("stressed")
    if record.get("scenario"):
        flags.append(f"scenario {record['scenario']}")
    title = (
        f"{record['test']}: {record['schema']}, {record['rows']} rows, seed "
        f"{record['seed']}" + (f" ({'; '.join(flags)})" if flags else "")
    )
    rows = record["table"]
    if not rows:
        return f"<h2>{html.escape(title)}</h2><p>No shape declared.</p>"
    heads = list(rows[0])
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in heads)
    lines = []
    for row in rows:
        cells = "".join(f"<td>{html.escape(_cell(row[h]))}</td>" for h in heads)
        mark = ' class="far"' if _far(row) else ""
        lines.append(f"<tr{mark}>{cells}</tr>")
    return (
        f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>"
        + "".join(lines)
        + "</table>"
    )


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if not math.isfinite(value) else f"{value:.4f}"
    return str(value)
