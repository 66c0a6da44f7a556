"""The conformance pytest plugin: options, the ``differential`` fixture, expectations, summary and report.

Options: ``--impl NAME`` (module under test, default reftorch; ``torch`` checks the suite against itself),
``--backend numpy|cuda``, ``--conformance-report DIR``. Hypothesis profiles ``ci`` (the default), ``dev``,
``thorough`` and ``noshrink`` (ci without shrinking, for the meta-tests) are registered here. Tests whose
claims are all listed in ``expectations/<backend>.toml``, or that an entry names (a test function, or one case
of a parametrized test by its pytest id), run as strict xfails, except with ``--impl torch``. Each collected
test's claims must be the ones the static scan (``conformance.spec.scan_tests``) reads from its source, so
``python -m conformance claims``, the expectations and the report see what pytest runs. Results are gathered
from test reports, so the summary table and the report also work on the xdist controller.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, Phase, is_hypothesis_test, settings

from conformance import spec as catalog
from conformance.harness import (
    ORACLE,
    Differential,
    RunContext,
    backend_problem,
    module_version,
)
from conformance.report import catalogue, write_report

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=15, print_blob=True,
                          database=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=300, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
# ci without shrinking, for runs that only ask whether anything fails (the planted-bug meta-tests).
settings.register_profile("noshrink", settings.get_profile("ci"),
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])
if settings.get_current_profile_name() == "default":
    settings.load_profile("ci")

PROBLEM = pytest.StashKey[str]()
NO_SHRINK = pytest.StashKey[bool]()


@dataclass
class RunState:
    impl_name: str
    backend: str
    spec: catalog.Spec
    scan: dict[str, tuple[str, ...] | None]  # conformance.spec.scan_tests()
    expectations: dict[str, str]
    differential: Differential
    backend_error: str | None
    started: float = field(default_factory=time.time)
    tests: dict[str, dict] = field(default_factory=dict)  # nodeid -> {outcome, claims, chapter, message}


STATE = pytest.StashKey[RunState]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance")
    group.addoption("--impl", default="reftorch",
                    help="module under test (default reftorch; torch = the suite against itself)")
    group.addoption("--backend", default="numpy", choices=catalog.BACKENDS, help="numpy (cpu) or cuda")
    group.addoption("--conformance-report", metavar="DIR", default=None,
                    help="write report.json and report.html into DIR")


def _expectations(backend: str, spec: catalog.Spec,
                  scan: dict[str, tuple[str, ...] | None] | None = None) -> dict[str, str]:
    """The backend's expectations; stale entries stop the run."""
    expected = catalog.load_expectations(backend)
    scan = catalog.scan_tests() if scan is None else scan
    problems = catalog.expectation_problems(spec, expected, set(catalog.tests_by_claim(scan)), backend, scan)
    if problems:
        raise pytest.UsageError("conformance expectations are stale:\n  " + "\n  ".join(problems))
    return expected


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "claims(*ids): the spec claims a conformance test checks")
    impl_name, backend = config.getoption("impl"), config.getoption("backend")
    try:
        spec = catalog.load_spec()
        scan = catalog.scan_tests()
        expected = _expectations(backend, spec, scan)
    except catalog.SpecError as exc:
        raise pytest.UsageError(str(exc)) from exc
    try:
        impl = importlib.import_module(impl_name)
    except Exception as exc:
        raise pytest.UsageError(f"--impl {impl_name}: cannot import it: {type(exc).__name__}: {exc}") from exc
    impl_device = "cuda" if backend == "cuda" else "cpu"
    oracle_device = "cuda" if backend == "cuda" and torch.cuda.is_available() else "cpu"
    problem = backend_problem(impl, impl_device) if backend == "cuda" else None
    config.stash[STATE] = RunState(
        impl_name=impl_name, backend=backend, spec=spec, scan=scan,
        expectations={} if impl_name == ORACLE else expected,
        differential=Differential(impl_name, impl, backend, oracle_device, impl_device),
        backend_error=None if problem is None else
        f"--backend cuda: implementation {impl_name!r} has no working cuda backend: {problem}",
    )
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Reporter(config), "conformance-reporter")


def _chapter(item: pytest.Item) -> str | None:
    """``views`` for conformance/test_views.py, ``meta`` for test_meta.py; None outside the suite's folder."""
    if item.path.parent.resolve() not in {Path(__file__).resolve().parent, catalog.tests_dir().resolve()}:
        return None
    chapter = item.path.stem.removeprefix("test_")
    return chapter if chapter in catalog.CHAPTERS or chapter == "meta" else None


def _claim_ids(item: pytest.Item) -> tuple[str, ...]:
    return tuple(cid for mark in item.iter_markers("claims") for cid in mark.args)


def _test_id(item: pytest.Item) -> str:
    """The item's id as :func:`conformance.spec.scan_tests` writes it (``conformance/test_x.py::test_y``, and
    ``...::test_y[case]`` for a parametrized test), whatever the rootdir."""
    return "::".join([f"{item.path.parent.name}/{item.path.name}", *item.nodeid.split("::")[1:]])


def _scan_problem(item: pytest.Item, ids: tuple[str, ...], scan: dict[str, tuple[str, ...] | None]) -> str | None:
    """How the static scan's reading of a test in the scanned folder differs from what pytest collected."""
    if item.path.parent.resolve() != catalog.tests_dir().resolve():
        return None
    test_id = _test_id(item)
    key = test_id if test_id in scan else catalog.function_id(test_id)
    if key not in scan:
        return (f"the static scan of the test files does not see {test_id}: parametrize it with literal "
                "argvalues and ids (pytest.param(..., id='...')), see conformance/spec.py")
    scanned = set(scan[key] or ())
    if scanned != set(ids):
        return (f"the static scan (python -m conformance claims, the expectations, the report) reads {key} as "
                f"claiming {sorted(scanned)}, but pytest collects it claiming {sorted(set(ids))}: give claims as "
                "literal strings in @claims(...) on the function or in pytest.param(..., marks=claims(...), "
                "id='...') inside @pytest.mark.parametrize(..., [literal list])")
    return None


@contextlib.contextmanager
def _without_shrinking(item: pytest.Item):
    """Known failures are not shrunk: the first failing example is enough to confirm them. The settings
    are swapped for this item's call only: the cases of a parametrized test share one function."""
    fn = getattr(item.obj, "__func__", item.obj)
    if not is_hypothesis_test(fn):
        yield
        return
    saved = fn.__dict__.get("_hypothesis_internal_use_settings")
    current = saved or settings.default
    fn._hypothesis_internal_use_settings = settings(
        parent=current, phases=[p for p in current.phases if p is not Phase.shrink])
    try:
        yield
    finally:
        if saved is None:
            del fn._hypothesis_internal_use_settings
        else:
            fn._hypothesis_internal_use_settings = saved


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    state = config.stash[STATE]
    for item in items:
        chapter = _chapter(item)
        if chapter is None:
            continue
        ids = _claim_ids(item)
        unknown = [cid for cid in ids if cid not in state.spec.claims]
        if chapter != "meta" and not ids:
            item.stash[PROBLEM] = "conformance test without @claims(...): link it to the claims it checks"
        elif unknown:
            item.stash[PROBLEM] = f"@claims names unknown claim id(s) {unknown}: not in spec/"
        elif chapter != "meta" and (problem := _scan_problem(item, ids, state.scan)):
            item.stash[PROBLEM] = problem
        item.user_properties += [("conformance_chapter", chapter), ("claims", list(ids))]
        item.extra_keyword_matches.update(ids)
        reason = catalog.expected_failure(_test_id(item), ids, state.expectations)
        if reason is not None and PROBLEM not in item.stash:  # an xfail would hide the problem
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"expected failure ({state.backend}): {reason}"))
            item.stash[NO_SHRINK] = True


def pytest_runtest_setup(item: pytest.Item) -> None:
    if PROBLEM in item.stash:
        pytest.fail(item.stash[PROBLEM], pytrace=False)


def _rerun_args(config: pytest.Config, state: RunState) -> list[str]:
    args = ["--impl", state.impl_name, "--backend", state.backend,
            "--hypothesis-profile", settings.get_current_profile_name()]
    seed = config.getoption("hypothesis_seed", None)
    return args + (["--hypothesis-seed", str(seed)] if seed is not None else [])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    state = item.config.stash[STATE]
    claims = [state.spec.claims[cid] for cid in _claim_ids(item) if cid in state.spec.claims]
    state.differential.context = RunContext(item.nodeid, claims, _rerun_args(item.config, state))
    try:
        with _without_shrinking(item) if item.stash.get(NO_SHRINK, False) else contextlib.nullcontext():
            return (yield)
    finally:
        state.differential.context = RunContext()


@pytest.fixture(scope="session")
def differential(pytestconfig: pytest.Config) -> Differential:
    """Runs ``program(T, device)`` on torch and on ``--impl`` and compares everything observable."""
    state = pytestconfig.stash[STATE]
    if state.backend_error:
        pytest.fail(state.backend_error, pytrace=False)
    return state.differential


# --- results, summary, report -------------------------------------------------------------------------

class Reporter:
    """Gathers test outcomes (on the xdist controller, from the workers' reports), prints the summary table
    and writes the report. Registered only in the process that talks to the terminal."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.state = config.stash[STATE]
        self.report_path: Path | None = None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if "conformance_chapter" not in props:
            return
        record = self.state.tests.setdefault(report.nodeid, {
            "outcome": "not run", "chapter": props["conformance_chapter"], "claims": list(props["claims"])})
        if record["outcome"] == "failed":
            return
        if report.failed:
            record["outcome"] = "failed"
            record["message"] = report.longreprtext[-4000:]
        elif hasattr(report, "wasxfail") and report.skipped:
            record["outcome"] = "xfailed"
        elif report.when == "call" or report.skipped:
            record["outcome"] = "passed" if report.passed else "skipped"

    def summary_rows(self) -> list[tuple]:
        state, rows = self.state, []
        chapters = [c for c in catalog.CHAPTERS if c in state.spec.titles or
                    any(t["chapter"] == c for t in state.tests.values())]
        for chapter in chapters:
            tests = [t for t in state.tests.values() if t["chapter"] == chapter]
            claims = state.spec.chapter_claims(chapter)
            counts = [sum(t["outcome"] == o for t in tests) for o in ("passed", "failed", "xfailed")]
            errata = sum(c.status == "erratum" for c in claims)
            rows.append((chapter, len(claims), len(tests), *counts, errata))
        return rows

    def pytest_terminal_summary(self, terminalreporter) -> None:
        state, tr = self.state, terminalreporter
        rows = self.summary_rows()
        header = ("chapter", "claims", "tests", "passed", "failed", "xfailed", "errata")
        total = ("total", *(sum(r[i] for r in rows) for i in range(1, len(header))))
        tr.write_sep("=", f"conformance: {state.impl_name} on {state.backend} vs torch {torch.__version__}")
        tr.write_line(f"{header[0]:<14}" + "".join(f"{h:>9}" for h in header[1:]))
        for row in [*rows, total]:
            tr.write_line(f"{row[0]:<14}" + "".join(f"{v:>9}" for v in row[1:]))
        meta = [t for t in state.tests.values() if t["chapter"] == "meta"]
        if meta:
            tr.write_line(f"meta-tests: {sum(t['outcome'] == 'passed' for t in meta)} passed, "
                          f"{sum(t['outcome'] == 'failed' for t in meta)} failed")
        if state.backend_error:
            tr.write_line(state.backend_error, red=True)
        if self.report_path is not None:
            html = self.report_path.with_name("report.html")
            tr.write_line(f"conformance report: {self.report_path} and {html}")

    def pytest_sessionfinish(self, exitstatus: int) -> None:
        directory = self.config.getoption("conformance_report")
        if not directory:
            return
        state, diff = self.state, self.state.differential
        run = {
            "impl": state.impl_name, "impl_version": module_version(diff.impl), "backend": state.backend,
            "oracle_version": torch.__version__, "oracle_device": diff.oracle_device,
            "profile": settings.get_current_profile_name(),
            "started": datetime.fromtimestamp(state.started, UTC).isoformat(timespec="seconds"),
            "duration_s": time.time() - state.started, "exitstatus": int(exitstatus),
            "tests": {k: v for k, v in state.tests.items() if v["chapter"] != "meta"},
        }
        expectations = {b: catalog.load_expectations(b) for b in catalog.BACKENDS}
        chapters = catalogue(state.spec, catalog.tests_by_claim(state.scan), expectations)
        self.report_path = write_report(Path(directory).expanduser(), run, chapters)
