"""``--conformance-report DIR``: report.json and a self-contained report.html.

A report holds one *run* per ``impl/backend`` pair; writing a run into a folder that already has a report
keeps the other pairs' runs, so running ``--backend numpy`` then ``--backend cuda`` into one folder gives the
full chapter x backend matrix.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from conformance.spec import CHAPTERS, Spec, expected_failures

SCHEMA = 1
_RANK = {"fail": 4, "xfail": 3, "pass": 2, "skip": 1, "not run": 0}
_TEST_TO_CLAIM = {
    "failed": "fail", "xpassed": "fail", "xfailed": "xfail", "passed": "pass", "skipped": "skip",
}


def claim_outcomes(tests: dict[str, dict]) -> dict[str, str]:
    """Each claim's outcome in a run: fail if any of its tests failed, else xfail, pass, skip."""
    out: dict[str, str] = {}
    for record in tests.values():
        outcome = _TEST_TO_CLAIM.get(record["outcome"], "not run")
        for cid in record["claims"]:
            if _RANK[outcome] > _RANK[out.get(cid, "not run")]:
                out[cid] = outcome
    return out


def catalogue(spec: Spec, tests_by_claim: dict[str, list[str]],
              expectations: dict[str, dict[str, str]]) -> list:
    """The chapters with their claims, the tests that check each claim and its expected failures."""
    chapters = []
    for chapter in [c for c in CHAPTERS if c in spec.titles]:
        claims = []
        for claim in spec.chapter_claims(chapter):
            entry = claim.as_dict()
            entry["tests"] = tests_by_claim.get(claim.id, [])
            entry["expected_failures"] = expected_failures(claim.id, entry["tests"], expectations)
            claims.append(entry)
        chapters.append({"chapter": chapter, "title": spec.titles[chapter], "claims": claims})
    return chapters


def write_report(directory: Path, run: dict, chapters: list) -> Path:
    """Writes report.json (merged with the runs of other impl/backend pairs already there) and report.html."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "report.json"
    runs = {}
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("schema") == SCHEMA:
                runs = old["runs"]
        except (ValueError, KeyError):
            runs = {}
    run["claims"] = claim_outcomes(run["tests"])
    runs[f"{run['impl']}/{run['backend']}"] = run
    report = {"schema": SCHEMA, "runs": runs, "chapters": chapters}
    path.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    (directory / "report.html").write_text(render_html(report), encoding="utf-8")
    return path


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f3f3f3;text-align:left}.pass{background:#c8f0c8}.fail{background:#f6b8b8}
.xfail{background:#f8e7a8}.skip,.notrun{background:#e4e4e4}.erratum{color:#8a2b00}
code{font-size:12px}pre{white-space:pre-wrap;font-size:12px;max-width:70em}small{color:#666}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _counts(run: dict, claims: list[dict]) -> str:
    counts: dict[str, int] = {}
    for claim in claims:
        outcome = run["claims"].get(claim["id"], "not run")
        counts[outcome] = counts.get(outcome, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: -_RANK[kv[0]]))


def _claim_row(claim: dict, runs: dict) -> str:
    sources = "<br>".join(f"{_e(s['doc'])} / <i>{_e(s['section'])}</i>" for s in claim["sources"])
    status = _e(claim["status"])
    if claim["status"] == "erratum":
        status = (f"<span class=erratum>erratum</span><br><small>says:</small> {_e(claim.get('says', ''))}"
                  f"<br><small>actual:</small> {_e(claim.get('actual', ''))}")
    statement = _e(claim["statement"])
    if claim.get("notes"):
        statement += f"<br><small>{_e(claim['notes'])}</small>"
    cells = []
    for run in runs.values():
        outcome = run["claims"].get(claim["id"], "not run")
        failures = [f"{t}\n{r.get('message', '')}" for t, r in run["tests"].items()
                    if claim["id"] in r["claims"] and r["outcome"] in ("failed", "xpassed")]
        body = _e(outcome)
        if failures:
            body += f"<details><summary>details</summary><pre>{_e(chr(10).join(failures))}</pre></details>"
        cells.append(f"<td class='{outcome.replace(' ', '')}'>{body}</td>")
    return (f"<tr><td><code>{_e(claim['id'])}</code></td><td>{statement}</td><td>{sources}</td>"
            f"<td>{status}</td>{''.join(cells)}</tr>")


def render_html(report: dict) -> str:
    runs = report["runs"]
    head = "".join(f"<th>{_e(key)}</th>" for key in runs)
    meta_rows = "".join(
        f"<tr><td>{_e(key)}</td><td>{_e(r['impl'])} {_e(r['impl_version'])}</td>"
        f"<td>torch {_e(r['oracle_version'])} on {_e(r['oracle_device'])}</td><td>{_e(r['backend'])}</td>"
        f"<td>{_e(r['profile'])}</td><td>{_e(r['started'])}</td><td>{r['duration_s']:.1f} s</td></tr>"
        for key, r in runs.items())
    parts = [
        "<!doctype html><html><head><meta charset=utf-8><title>reftorch conformance report</title>",
        f"<style>{_CSS}</style></head><body><h1>Conformance report</h1>",
        ("<table><tr><th>run</th><th>implementation</th><th>oracle</th><th>backend</th>"
         f"<th>hypothesis profile</th><th>started</th><th>run time</th></tr>{meta_rows}</table>"),
    ]
    overview = "".join(
        f"<tr><td><a href='#{_e(ch['chapter'])}'>{_e(ch['chapter'])}</a></td><td>{len(ch['claims'])}</td>"
        + "".join(f"<td>{_counts(r, ch['claims'])}</td>" for r in runs.values()) + "</tr>"
        for ch in report["chapters"])
    parts.append(f"<h2>Claims by chapter</h2><table><tr><th>chapter</th><th>claims</th>{head}</tr>{overview}</table>")
    for chapter in report["chapters"]:
        counts = " &middot; ".join(f"{_e(k)}: {_counts(r, chapter['claims'])}" for k, r in runs.items())
        parts.append(f"<h2 id='{_e(chapter['chapter'])}'>{_e(chapter['chapter'])} &mdash; {_e(chapter['title'])}"
                     f"</h2><p>{counts}</p>")
        parts.append(f"<table><tr><th>claim</th><th>statement</th><th>sources</th><th>status</th>{head}</tr>")
        parts += [_claim_row(claim, runs) for claim in chapter["claims"]]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
