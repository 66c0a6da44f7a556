"""The spec catalogue: loading and checking ``spec/*.toml``, ``spec/sources.toml`` and the expectations files.

Everything here is plain data work (no torch, no pytest) so ``python -m conformance`` stays fast. Paths
default to the repository layout and can be redirected with environment variables, which the meta-tests
use to point the checks at small throwaway catalogues:

- ``CONFORMANCE_SPEC_DIR``: the folder of ``<chapter>.toml`` files and ``sources.toml`` (default ``spec/``);
- ``CONFORMANCE_SOURCES_DIR``: the markdown source documents (default ``../shared/sources``);
- ``CONFORMANCE_TESTS_DIR``: the folder holding ``test_<chapter>.py`` files (default ``conformance/``);
- ``CONFORMANCE_EXPECTATIONS_DIR``: ``numpy.toml`` / ``cuda.toml`` (default ``conformance/expectations``).
"""

from __future__ import annotations

import ast
import functools
import os
import re
import tomllib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

CHAPTERS: tuple[str, ...] = (
    "tensors", "views", "shape", "indexing", "math", "random", "printing", "autograd", "modules",
    "losses", "init", "optim", "serialization", "data", "devices",
)
BACKENDS: tuple[str, ...] = ("numpy", "cuda")
STATUSES: tuple[str, ...] = ("holds", "erratum")

_CLAIM_KEYS = {"id", "statement", "sources", "status", "notes", "says", "actual", "rtol", "atol", "error"}
_REQUIRED_CLAIM_KEYS = ("id", "statement", "sources", "status")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class SpecError(Exception):
    """A catalogue file that cannot be read at all (bad TOML, wrong top-level shape)."""


def spec_dir() -> Path:
    return Path(os.environ.get("CONFORMANCE_SPEC_DIR", REPO_ROOT / "spec"))


def sources_dir() -> Path:
    return Path(os.environ.get("CONFORMANCE_SOURCES_DIR", REPO_ROOT.parent / "shared" / "sources"))


def tests_dir() -> Path:
    return Path(os.environ.get("CONFORMANCE_TESTS_DIR", REPO_ROOT / "conformance"))


def expectations_dir() -> Path:
    return Path(os.environ.get("CONFORMANCE_EXPECTATIONS_DIR", REPO_ROOT / "conformance" / "expectations"))


@dataclass(frozen=True)
class Claim:
    """One ``[[claim]]`` entry of a chapter file."""

    id: str
    chapter: str
    statement: str
    sources: tuple[tuple[str, str], ...]
    status: str
    notes: str | None = None
    says: str | None = None
    actual: str | None = None
    rtol: float | None = None
    atol: float | None = None
    error_type: str | None = None
    error_match: str | None = None

    def as_dict(self) -> dict:
        out = {
            "id": self.id, "chapter": self.chapter, "statement": self.statement,
            "sources": [{"doc": d, "section": s} for d, s in self.sources], "status": self.status,
        }
        for key in ("notes", "says", "actual", "rtol", "atol"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.error_type is not None:
            out["error"] = {"type": self.error_type, "match": self.error_match}
        return out


@dataclass(frozen=True)
class Document:
    stem: str
    title: str
    author: str
    sections: tuple[str, ...]


@dataclass
class Spec:
    """The whole catalogue. ``problems`` lists every well-formedness violation found while loading."""

    titles: dict[str, str] = field(default_factory=dict)  # chapter -> title
    claims: dict[str, Claim] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    exclusions: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, section, reason)
    problems: list[str] = field(default_factory=list)

    def chapter_claims(self, chapter: str) -> list[Claim]:
        return [c for c in self.claims.values() if c.chapter == chapter]


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: invalid TOML: {exc}") from exc


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _claim_from_table(table: dict, chapter: str, where: str, problems: list[str]) -> Claim | None:
    """Builds a Claim, appending to ``problems`` every rule the table breaks."""
    missing = [k for k in _REQUIRED_CLAIM_KEYS if k not in table]
    if missing:
        problems.append(f"{where}: missing key(s) {', '.join(missing)}")
        return None
    unknown = sorted(set(table) - _CLAIM_KEYS)
    if unknown:
        problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    cid = table["id"]
    prefix = chapter + "."
    if not isinstance(cid, str) or not cid.startswith(prefix) or not _SLUG.fullmatch(cid[len(prefix):]):
        problems.append(f"{where}: id {cid!r} must be '{chapter}.<kebab-case-slug>'")
    if not isinstance(table["statement"], str) or not table["statement"].strip():
        problems.append(f"{where} ({cid}): statement must be a non-empty string")
    status = table["status"]
    if status not in STATUSES:
        problems.append(f"{where} ({cid}): status {status!r} must be one of {', '.join(STATUSES)}")
    for key in ("says", "actual"):
        value = table.get(key)
        if status == "erratum" and not (isinstance(value, str) and value.strip()):
            problems.append(f"{where} ({cid}): an erratum needs a non-empty '{key}'")
        if status == "holds" and value is not None:
            problems.append(f"{where} ({cid}): '{key}' is only for errata")
    for key in ("notes",):
        if key in table and not isinstance(table[key], str):
            problems.append(f"{where} ({cid}): {key} must be a string")
    for key in ("rtol", "atol"):
        if key in table and not _is_number(table[key]):
            problems.append(f"{where} ({cid}): {key} must be a non-negative number")
    sources = table["sources"]
    pairs: list[tuple[str, str]] = []
    if not isinstance(sources, list) or not sources:
        problems.append(f"{where} ({cid}): sources must be a non-empty list")
    else:
        for src in sources:
            if not isinstance(src, dict) or set(src) != {"doc", "section"}:
                problems.append(f"{where} ({cid}): each source is {{doc = ..., section = ...}}, got {src!r}")
            else:
                pairs.append((src["doc"], src["section"]))
    error = table.get("error")
    error_type = error_match = None
    if error is not None:
        if not isinstance(error, dict) or "type" not in error or set(error) - {"type", "match"}:
            problems.append(f"{where} ({cid}): error must be {{type = ..., match = ...}}, not {error!r}")
        else:
            error_type, error_match = error["type"], error.get("match")
            if not isinstance(error_type, str) or not isinstance(error_match, str | None):
                problems.append(f"{where} ({cid}): error type and match must be strings")
    return Claim(
        id=str(cid), chapter=chapter, statement=str(table["statement"]), sources=tuple(pairs),
        status=str(status), notes=table.get("notes"), says=table.get("says"), actual=table.get("actual"),
        rtol=table.get("rtol"), atol=table.get("atol"), error_type=error_type, error_match=error_match,
    )


def _load_sources(path: Path, spec: Spec) -> None:
    if not path.exists():
        spec.problems.append(f"{path}: missing")
        return
    data = _read_toml(path)
    unknown = sorted(set(data) - {"document", "exclusion"})
    if unknown:
        spec.problems.append(f"{path.name}: unknown top-level key(s) {', '.join(unknown)}")
    for i, doc in enumerate(data.get("document", [])):
        where = f"{path.name} document #{i + 1}"
        if set(doc) != {"stem", "title", "author", "sections"}:
            spec.problems.append(f"{where}: keys must be stem, title, author, sections (got {sorted(doc)})")
            continue
        if doc["stem"] in spec.documents:
            spec.problems.append(f"{where}: duplicate document {doc['stem']!r}")
        spec.documents[doc["stem"]] = Document(doc["stem"], doc["title"], doc["author"],
                                               tuple(doc["sections"]))
    for i, exc in enumerate(data.get("exclusion", [])):
        where = f"{path.name} exclusion #{i + 1}"
        if set(exc) != {"doc", "section", "reason"} or not str(exc.get("reason", "")).strip():
            spec.problems.append(f"{where}: keys must be doc, section and a non-empty reason (got {exc!r})")
            continue
        spec.exclusions.append((exc["doc"], exc["section"], exc["reason"]))


def _check_source_refs(spec: Spec) -> None:
    refs = [(f"claim {c.id}", d, s) for c in spec.claims.values() for d, s in c.sources]
    refs += [("exclusion", d, s) for d, s, _ in spec.exclusions]
    for who, doc, section in refs:
        if doc not in spec.documents:
            spec.problems.append(f"{who}: unknown source document {doc!r}")
        elif section not in spec.documents[doc].sections:
            spec.problems.append(f"{who}: {doc!r} has no section heading {section!r}")


@functools.cache
def _load_spec_cached(directory: str) -> Spec:
    path = Path(directory)
    spec = Spec()
    _load_sources(path / "sources.toml", spec)
    for file in sorted(path.glob("*.toml")):
        if file.name == "sources.toml":
            continue
        chapter = file.stem
        data = _read_toml(file)
        if chapter not in CHAPTERS:
            spec.problems.append(f"{file.name}: {chapter!r} is not one of the chapters {', '.join(CHAPTERS)}")
        if data.get("chapter") != chapter:
            spec.problems.append(f"{file.name}: chapter = {data.get('chapter')!r}, expected {chapter!r}")
        if not isinstance(data.get("title"), str) or not data["title"].strip():
            spec.problems.append(f"{file.name}: missing title")
        unknown = sorted(set(data) - {"chapter", "title", "claim"})
        if unknown:
            spec.problems.append(f"{file.name}: unknown top-level key(s) {', '.join(unknown)}")
        spec.titles[chapter] = str(data.get("title", chapter))
        for i, table in enumerate(data.get("claim", [])):
            claim = _claim_from_table(table, chapter, f"{file.name} claim #{i + 1}", spec.problems)
            if claim is None:
                continue
            if claim.id in spec.claims:
                spec.problems.append(f"{file.name}: duplicate claim id {claim.id!r}")
            spec.claims[claim.id] = claim
    _check_source_refs(spec)
    return spec


def load_spec(directory: Path | None = None) -> Spec:
    """Loads (once per folder) the chapter files and sources.toml; raises SpecError only for bad TOML."""
    return _load_spec_cached(str(directory or spec_dir()))


# --- markdown headings ----------------------------------------------------------------------------------

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")


def markdown_headings(text: str) -> list[str]:
    """ATX headings of a markdown text in order: '#'s and surrounding spaces stripped.

    Lines inside ``` or ~~~ fences and a leading ``---`` front-matter block are not headings.
    """
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            lines = lines[end + 1:]
    headings, fence = [], None
    for line in lines:
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        match = _HEADING.fullmatch(line)
        if match:
            headings.append(_CLOSING_HASHES.sub("", match.group(2) or "").strip())
    return headings


def coverage_problems(spec: Spec, sources: Path | None = None) -> list[str]:
    """sources.toml against the markdown files, and every heading against claims and exclusions."""
    folder = sources or sources_dir()
    problems = []
    files = {p.stem: p for p in sorted(folder.glob("*.md"))}
    for stem in sorted(set(files) - set(spec.documents)):
        problems.append(f"sources.toml: no [[document]] for {files[stem].name}")
    covered = {(d, s) for c in spec.claims.values() for d, s in c.sources}
    covered |= {(d, s) for d, s, _ in spec.exclusions}
    for stem, doc in spec.documents.items():
        if stem not in files:
            problems.append(f"sources.toml: document {stem!r} has no file {stem}.md in {folder}")
            continue
        actual = markdown_headings(files[stem].read_text(encoding="utf-8"))
        if list(doc.sections) != actual:
            extra = [s for s in doc.sections if s not in actual]
            lacking = [s for s in actual if s not in doc.sections]
            problems.append(
                f"sources.toml: sections of {stem!r} differ from the headings of {stem}.md"
                f" (listed but not headings: {extra}; headings not listed: {lacking};"
                f" if both are empty the order or repetition differs)")
        for section in dict.fromkeys(doc.sections):
            if (stem, section) not in covered:
                problems.append(f"{stem} / {section!r}: no claim cites it and no exclusion covers it")
    return problems


# --- which tests check which claims (static scan of test files) ------------------------------------------
#
# The scan reads test sources with ``ast`` and never imports them (``python -m conformance`` stays fast: no
# torch, no hypothesis). It understands claims given as
#
#   @claims("views.a", "views.b")                         on a test function, and
#   @pytest.mark.parametrize("args", [pytest.param(..., marks=claims("views.c"), id="c"), ...])
#
# where ``argvalues`` is a list or tuple literal, or a module-level name bound to one. A parametrized test is
# one test per case, keyed by its pytest id (``conformance/test_views.py::test_x[c]``), and a case checks the
# function's claims *and* its own (they add up, as pytest's marks do). Stacked parametrize decorators give the
# cases of their product, ids joined with "-" from the decorator nearest the function on, as pytest does.
# The scan must know each case's id: a ``pytest.param(..., id=...)``, an ``ids=[...]`` entry, or a value
# pytest names after itself (a printable str, a number, a bool or None). A parametrize whose ids it cannot
# tell is transparent when its cases carry no claims (the test stays one entry, its function id) and a
# problem when they do. The plugin checks at collection that every collected test's claims are the ones the
# scan read (conformance/conftest.py), so the scan cannot silently disagree with pytest.

UNREADABLE = "<non-literal>"  # stands for claims given in a form the scan cannot read
_MAX_VALUE_ID = 100  # pytest names a case after a longer string value only under some settings


def _call_name(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _keyword(call: ast.Call, name: str, position: int | None = None) -> ast.AST | None:
    """A call's argument given by keyword ``name`` or at ``position``."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return call.args[position] if position is not None and position < len(call.args) else None


def _claim_args(call: ast.Call) -> tuple[str, ...]:
    """The ids of a ``claims(...)`` call; an argument that is not a string literal reads as UNREADABLE."""
    return tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else UNREADABLE
                 for a in call.args)


def _mark_claims(marks: ast.AST | None, names: dict[str, ast.AST]) -> tuple[str, ...]:
    """The claim ids of a ``pytest.param(marks=...)`` value: one mark or a list or tuple of marks."""
    if isinstance(marks, ast.Name):
        marks = names.get(marks.id, marks)
    if marks is None:
        return ()
    out: tuple[str, ...] = ()
    for item in marks.elts if isinstance(marks, ast.List | ast.Tuple) else [marks]:
        if isinstance(item, ast.Name):
            item = names.get(item.id, item)
        if _call_name(item) == "claims":
            out += _claim_args(item)
        elif not isinstance(item, ast.Attribute | ast.Call):  # a name the scan cannot follow may hide claims
            out += (UNREADABLE,)
    return out


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _literal_id(node: ast.AST) -> str | None:
    """An explicit id (``id=`` or an ``ids=`` entry) as pytest writes it, when the scan can tell."""
    if not isinstance(node, ast.Constant):
        return None
    if isinstance(node.value, str):
        return node.value if node.value.isascii() and node.value.isprintable() else None
    return str(node.value) if isinstance(node.value, bool | int | float | complex) else None


def _value_id(node: ast.AST, argname: str, index: int) -> str | None:
    """The id pytest makes of one parameter value (``_idval``), or None when the scan cannot tell it."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None  # a name, a call, a lambda...: pytest may name it after its __name__
    if isinstance(value, str):
        return value if len(value) <= _MAX_VALUE_ID and value.isascii() and value.isprintable() else None
    if value is None or isinstance(value, bool | int | float | complex):
        return str(value)
    return None if isinstance(value, bytes) else f"{argname}{index}"  # containers: argname + index


def _case_id(explicit: ast.AST | None, ids: ast.AST | None, index: int, values: list[ast.AST] | None,
             argnames: list[str] | None) -> str | None:
    """pytest's id of one case (``_resolve_ids``): its param's id, else its ``ids=`` entry, else its values'."""
    if explicit is not None and not _is_none(explicit):
        return _literal_id(explicit)
    if ids is not None:
        if not isinstance(ids, ast.List | ast.Tuple):
            return None  # ids=callable
        if index < len(ids.elts) and not _is_none(ids.elts[index]):
            return _literal_id(ids.elts[index])
    if argnames is None or values is None or len(values) != len(argnames):
        return None
    parts = [_value_id(v, n, index) for v, n in zip(values, argnames, strict=True)]
    return None if None in parts else "-".join(parts)


@dataclass(frozen=True)
class _Case:
    id: str | None  # None: the scan cannot tell pytest's id
    claims: tuple[str, ...] = ()


def _argnames(node: ast.AST | None) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [n.strip() for n in node.value.split(",") if n.strip()]
    if isinstance(node, ast.List | ast.Tuple) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def _parametrize_cases(call: ast.Call, names: dict[str, ast.AST]) -> list[_Case]:
    """The cases of one ``parametrize(argnames, argvalues, ids=...)`` decorator, as pytest ids them.

    Argvalues the scan cannot read give one case of unknown id, carrying UNREADABLE if the decorator's source
    holds a ``claims(...)`` call anywhere."""
    argnames = _argnames(_keyword(call, "argnames", 0))
    argvalues = _keyword(call, "argvalues", 1)
    if isinstance(argvalues, ast.Name):
        argvalues = names.get(argvalues.id)
    if not isinstance(argvalues, ast.List | ast.Tuple):
        hidden = any(_call_name(n) == "claims" for n in ast.walk(call))
        return [_Case(None, (UNREADABLE,) if hidden else ())]
    ids = _keyword(call, "ids")
    cases = []
    for index, element in enumerate(argvalues.elts):
        claims: tuple[str, ...] = ()
        explicit: ast.AST | None = None
        values: list[ast.AST] | None = [element]
        if _call_name(element) == "param":
            claims = _mark_claims(_keyword(element, "marks"), names)
            explicit, values = _keyword(element, "id"), list(element.args)
        elif argnames is not None and len(argnames) > 1:
            values = list(element.elts) if isinstance(element, ast.List | ast.Tuple) else None
        cases.append(_Case(_case_id(explicit, ids, index, values, argnames), claims))
    counts = Counter(c.id for c in cases)
    return [c if counts[c.id] == 1 else _Case(None, c.claims) for c in cases]  # pytest numbers duplicates


def _test_cases(func: ast.FunctionDef | ast.AsyncFunctionDef,
                names: dict[str, ast.AST]) -> list[tuple[str | None, tuple[str, ...] | None]]:
    """``(case id, claims)`` of a test function: ``[(None, claims)]`` for one unparametrized test."""
    own: tuple[str, ...] = ()
    cases: list[_Case] | None = None
    for dec in reversed(func.decorator_list):  # pytest ids cases from the innermost parametrize on
        name = _call_name(dec)
        if name == "claims":
            own = _claim_args(dec) + own
        elif name == "parametrize":
            options = _parametrize_cases(dec, names)
            cases = options if cases is None else [
                _Case(None if a.id is None or b.id is None else f"{a.id}-{b.id}", a.claims + b.claims)
                for a in cases for b in options]
    if cases is None or all(c.id is not None for c in cases):
        return [(c.id, tuple(dict.fromkeys(own + c.claims)) or None) for c in cases or [_Case(None)]]
    if any(c.claims for c in cases):
        return [(None, tuple(dict.fromkeys((*own, UNREADABLE))))]
    return [(None, own or None)]


def _module_names(tree: ast.Module) -> dict[str, ast.AST]:
    """Module-level ``NAME = <value>`` bindings (parametrize argvalues may be given by name)."""
    names: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            names[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names[node.target.id] = node.value
    return names


def scan_tests(directory: Path | None = None) -> dict[str, tuple[str, ...] | None]:
    """Maps each test of ``test_<chapter>.py`` files to its claim ids (None when it has none).

    Keys are pytest-style ids relative to the tests folder's parent: ``conformance/test_views.py::test_x``,
    and ``conformance/test_views.py::test_x[case]`` for each case of a parametrized test (see above).
    """
    folder = directory or tests_dir()
    found: dict[str, tuple[str, ...] | None] = {}
    for file in sorted(folder.glob("test_*.py")):
        if file.stem[len("test_"):] not in CHAPTERS:
            continue
        prefix = f"{folder.name}/{file.name}"
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        names = _module_names(tree)
        for node in tree.body:
            funcs: list[tuple[str, ast.AST]] = []
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                funcs = [(node.name, node)]
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                funcs = [(f"{node.name}::{f.name}", f) for f in node.body
                         if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
            for name, func in funcs:
                if name.rsplit("::", 1)[-1].startswith("test"):
                    for case, ids in _test_cases(func, names):
                        found[f"{prefix}::{name}" + (f"[{case}]" if case else "")] = ids
    return found


def function_id(test_id: str) -> str:
    """A test id without its parametrized case: ``f.py::test_x[a-b]`` -> ``f.py::test_x``."""
    return test_id.split("[", 1)[0]


def tests_by_claim(scan: dict[str, tuple[str, ...] | None]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for test, ids in scan.items():
        for cid in ids or ():
            out.setdefault(cid, []).append(test)
    return out


def claim_test_problems(spec: Spec, scan: dict[str, tuple[str, ...] | None]) -> list[str]:
    """Every test (every case of a parametrized one) names existing claims, and every claim has a test."""
    problems = []
    for test, ids in scan.items():
        if not ids:
            where = " or claims(...) in its pytest.param marks" if test != function_id(test) else ""
            problems.append(f"{test}: no @claims(...) decorator{where} with claim ids")
            continue
        if UNREADABLE in ids:
            problems.append(f"{test}: claims the static scan cannot read: claim ids must be string literals, and "
                            "parametrized cases that carry claims need ids it can tell "
                            "(pytest.param(..., marks=claims(...), id='...') in a literal list)")
        for cid in ids:
            if cid not in spec.claims and cid != UNREADABLE:
                problems.append(f"{test}: claims unknown id {cid!r}")
    checked = tests_by_claim(scan)
    problems += [f"claim {cid}: no conformance test checks it" for cid in spec.claims if cid not in checked]
    return problems


# --- expectations ------------------------------------------------------------------------------------------

def load_expectations(backend: str, directory: Path | None = None) -> dict[str, str]:
    """``claim id or test id -> reason`` from ``expectations/<backend>.toml`` (an absent file is empty).

    An entry names a ``claim`` (all its tests are expected to fail) or, when only some tests of a claim
    fail, one ``test``: a test function (``conformance/test_<chapter>.py::test_name``, all of its cases if
    it is parametrized) or one case of a parametrized test by its pytest id
    (``conformance/test_<chapter>.py::test_name[case]``).
    """
    path = (directory or expectations_dir()) / f"{backend}.toml"
    if not path.exists():
        return {}
    data = _read_toml(path)
    if set(data) - {"xfail"}:
        raise SpecError(f"{path}: only [[xfail]] tables are allowed, found {sorted(set(data) - {'xfail'})}")
    out: dict[str, str] = {}
    for i, entry in enumerate(data.get("xfail", [])):
        if set(entry) not in ({"claim", "reason"}, {"test", "reason"}) or not str(entry["reason"]).strip():
            raise SpecError(f"{path}: [[xfail]] #{i + 1} needs a claim or a test and a non-empty reason: {entry!r}")
        key = entry.get("claim") or entry["test"]
        if key in out:
            raise SpecError(f"{path}: {key!r} is listed twice")
        out[key] = entry["reason"]
    return out


def is_test_id(key: str) -> bool:
    """Expectation keys naming a test (``conformance/test_x.py::test_y``, ``...::test_y[case]``) rather
    than a claim."""
    return "::" in key


def expectation_problems(spec: Spec, expected: dict[str, str], checked: set[str], backend: str,
                         tests: Collection[str] = ()) -> list[str]:
    """Entries naming a claim that does not exist or that no test checks, or a test (or a parametrized
    test's case) that the scan does not find."""
    problems = []
    functions = {function_id(t) for t in tests}
    for key in expected:
        if is_test_id(key):
            if key in tests or (key == function_id(key) and key in functions):
                continue
            problem = f"expectations/{backend}.toml: test {key!r} does not exist"
            if function_id(key) in functions:
                cases = sorted(t for t in tests if function_id(t) == function_id(key) and t != function_id(t))
                problem += (f" (its cases: {', '.join(c[len(function_id(c)):] for c in cases)})" if cases else
                            " (the scan cannot tell the ids of its cases: give them pytest.param(..., id=...))")
            problems.append(problem)
        elif key not in spec.claims:
            problems.append(f"expectations/{backend}.toml: claim {key!r} does not exist in spec/")
        elif key not in checked:
            problems.append(f"expectations/{backend}.toml: claim {key!r} is checked by no conformance test")
    return problems


def _test_entry(test_id: str, expected: dict[str, str]) -> str | None:
    """The reason an entry gives for a test: the entry of its case, else of its function."""
    return expected.get(test_id, expected.get(function_id(test_id)))


def expected_failure(test_id: str, claim_ids: Sequence[str], expected: dict[str, str]) -> str | None:
    """Why a test (or a parametrized test's case) is expected to fail: its own entry (its case's, else its
    function's), or the entries of all of its claims; None if it is expected to pass."""
    reason = _test_entry(test_id, expected)
    if reason is not None:
        return reason
    if claim_ids and all(cid in expected for cid in claim_ids):
        return "; ".join(dict.fromkeys(expected[cid] for cid in claim_ids))
    return None


def expected_failures(claim_id: str, tests: Sequence[str], expectations: dict[str, dict[str, str]]) -> dict[str, str]:
    """Per backend, why a claim is (partly) expected to fail: its own entry, else its listed tests'."""
    out = {}
    for backend, expected in expectations.items():
        if claim_id in expected:
            out[backend] = expected[claim_id]
            continue
        listed = [f"{test}: {reason}" for test in tests if (reason := _test_entry(test, expected)) is not None]
        if listed:
            out[backend] = "; ".join(listed)
    return out
