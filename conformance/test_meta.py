"""Meta-tests: the catalogue is complete and well-formed, the harness sees every difference it promises to,
the plugin reports what it should, and planted bugs (conformance/mutants.py) are caught by the suite."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conformance import __main__ as cli
from conformance import spec as catalog
from conformance import strategies as cst
from conformance.compare import DeviceMap, Options, Outcome, Tolerance, compare_outcomes, compare_results
from conformance.harness import ConformanceMismatch, Differential, RunContext, run_program
from conformance.mutants import MUTANTS


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- the real catalogue ----------------------------------------------------------------------------------

def test_spec_files_are_well_formed():
    problems = catalog.load_spec().problems
    assert not problems, _report(problems)


def test_every_chapter_has_a_spec_file():
    missing = [c for c in catalog.CHAPTERS if not (catalog.spec_dir() / f"{c}.toml").exists()]
    assert not missing, f"spec/ lacks chapter files: {missing}"


def test_every_claim_has_a_test_and_every_test_names_existing_claims():
    problems = catalog.claim_test_problems(catalog.load_spec(), catalog.scan_tests())
    assert not problems, _report(problems)


def test_sources_match_the_documents_and_every_heading_is_covered():
    if not catalog.sources_dir().is_dir():  # a checkout without the documents beside it
        pytest.skip(f"source documents not found at {catalog.sources_dir()} (set CONFORMANCE_SOURCES_DIR)")
    problems = catalog.coverage_problems(catalog.load_spec())
    assert not problems, _report(problems)


# --- the catalogue checks catch what they should -----------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


SOURCES = """
    [[document]]
    stem = "memo"
    title = "Memo"
    author = "someone"
    sections = ["Intro", "transpose()", "view()"]

    [[exclusion]]
    doc = "memo"
    section = "Intro"
    reason = "no behaviour"
"""
MEMO = """
    ---
    title: front matter
    ---
    # Intro
    ```python
    # a comment, not a heading
    ```
    ## transpose()
    ### view() ###
"""


def _catalogue(tmp_path: Path, claims: str, sources: str = SOURCES) -> catalog.Spec:
    _write(tmp_path / "spec" / "sources.toml", sources)
    _write(tmp_path / "spec" / "views.toml", 'chapter = "views"\ntitle = "Views"\n' + textwrap.dedent(claims))
    _write(tmp_path / "sources" / "memo.md", MEMO)
    return catalog.load_spec(tmp_path / "spec")


GOOD_CLAIM = """
    [[claim]]
    id = "views.transpose-shares-storage"
    statement = "transpose shares storage."
    sources = [{ doc = "memo", section = "transpose()" }]
    status = "holds"
"""


def test_markdown_headings_skip_fences_front_matter_and_code():
    text = ("---\ntitle: x\n---\n# One\n```python\n# not a heading\n```\n  ## Two ##\n    # indented code\n"
            "#NoSpace\n~~~\n# in a tilde fence\n~~~\n###### Six\n####### seven\n")
    assert catalog.markdown_headings(text) == ["One", "Two", "Six"]


def test_a_good_catalogue_has_no_problems(tmp_path):
    spec = _catalogue(tmp_path, GOOD_CLAIM + GOOD_CLAIM.replace("transpose-shares-storage", "view-shares")
                      .replace("transpose()", "view()"))
    assert spec.problems == []
    assert catalog.coverage_problems(spec, tmp_path / "sources") == []


def test_malformed_claims_are_reported(tmp_path):
    spec = _catalogue(tmp_path, """
        [[claim]]
        id = "shape.wrong-prefix"
        statement = "x"
        sources = [{ doc = "memo", section = "view()" }]
        status = "holds"

        [[claim]]
        id = "views.an-erratum"
        statement = "x"
        sources = [{ doc = "nodoc", section = "view()" }, { doc = "memo", section = "No such heading" }]
        status = "erratum"
        says = "the doc says so"

        [[claim]]
        id = "views.bad-status"
        statement = "x"
        sources = [{ doc = "memo", section = "view()" }]
        status = "maybe"
        error = { match = "no type" }
        colour = "blue"

        [[claim]]
        id = "views.bad-status"
        statement = "a duplicate"
        sources = [{ doc = "memo", section = "view()" }]
        status = "holds"
        says = "only errata say"

        [[claim]]
        id = "views.no-sources"
        statement = "x"
        status = "holds"
    """)
    text = "\n".join(spec.problems)
    for expected in ("'shape.wrong-prefix' must be 'views.<kebab-case-slug>'",
                     "an erratum needs a non-empty 'actual'", "unknown source document 'nodoc'",
                     "has no section heading 'No such heading'", "status 'maybe' must be one of",
                     "error must be {type = ..., match = ...}", "unknown key(s) colour",
                     "duplicate claim id 'views.bad-status'", "'says' is only for errata",
                     "missing key(s) sources"):
        assert expected in text, f"{expected!r} not reported in:\n{text}"


def test_coverage_problems_are_reported(tmp_path):
    spec = _catalogue(tmp_path, GOOD_CLAIM, SOURCES.replace('"view()"', '"view"'))
    problems = "\n".join(catalog.coverage_problems(spec, tmp_path / "sources"))
    assert "listed but not headings: ['view']; headings not listed: ['view()']" in problems
    assert "memo / 'view': no claim cites it and no exclusion covers it" in problems
    _write(tmp_path / "sources" / "other.md", "# Other\n")
    assert "no [[document]] for other.md" in "\n".join(catalog.coverage_problems(spec, tmp_path / "sources"))


def test_test_links_are_checked(tmp_path):
    spec = _catalogue(tmp_path, GOOD_CLAIM + GOOD_CLAIM.replace("transpose-shares-storage", "untested"))
    _write(tmp_path / "ctests" / "test_views.py", """
        from conformance import claims

        @claims("views.transpose-shares-storage")
        def test_ok(differential): ...

        def test_without_claims(differential): ...

        class TestGroup:
            @claims("views.typo")
            def test_unknown(self, differential): ...
    """)
    scan = catalog.scan_tests(tmp_path / "ctests")
    assert scan == {"ctests/test_views.py::test_ok": ("views.transpose-shares-storage",),
                    "ctests/test_views.py::test_without_claims": None,
                    "ctests/test_views.py::TestGroup::test_unknown": ("views.typo",)}
    assert catalog.claim_test_problems(spec, scan) == [
        "ctests/test_views.py::test_without_claims: no @claims(...) decorator with claim ids",
        "ctests/test_views.py::TestGroup::test_unknown: claims unknown id 'views.typo'",
        "claim views.untested: no conformance test checks it",
    ]


def test_expectations_are_checked(tmp_path):
    spec = _catalogue(tmp_path, GOOD_CLAIM + GOOD_CLAIM.replace("transpose-shares-storage", "untested"))
    entries = '[[xfail]]\nclaim = "{}"\nreason = "r"\n'
    tests = '[[xfail]]\ntest = "{}"\nreason = "t"\n'
    _write(tmp_path / "exp" / "numpy.toml", "".join(entries.format(c) for c in ("views.untested", "views.nope"))
           + tests.format("ctests/test_views.py::test_gone"))
    expected = catalog.load_expectations("numpy", tmp_path / "exp")
    assert catalog.expectation_problems(spec, expected, {"views.transpose-shares-storage"}, "numpy",
                                        {"ctests/test_views.py::test_here"}) == [
        "expectations/numpy.toml: claim 'views.untested' is checked by no conformance test",
        "expectations/numpy.toml: claim 'views.nope' does not exist in spec/",
        "expectations/numpy.toml: test 'ctests/test_views.py::test_gone' does not exist",
    ]
    _write(tmp_path / "exp" / "cuda.toml", entries.format("views.untested") * 2)
    with pytest.raises(catalog.SpecError, match="listed twice"):
        catalog.load_expectations("cuda", tmp_path / "exp")
    _write(tmp_path / "exp" / "cuda.toml", '[[xfail]]\nclaim = "a"\ntest = "b"\nreason = "r"\n')
    with pytest.raises(catalog.SpecError, match="a claim or a test"):
        catalog.load_expectations("cuda", tmp_path / "exp")


def test_a_test_is_expected_to_fail_by_its_own_entry_or_all_its_claims():
    expected = {"c.one": "one", "c.two": "two", "ctests/test_c.py::test_x": "only x"}
    assert catalog.expected_failure("ctests/test_c.py::test_x", ("c.three",), expected) == "only x"
    assert catalog.expected_failure("ctests/test_c.py::test_y", ("c.one", "c.two"), expected) == "one; two"
    assert catalog.expected_failure("ctests/test_c.py::test_y", ("c.one", "c.three"), expected) is None
    assert catalog.expected_failure("ctests/test_c.py::test_y", (), expected) is None
    by_backend = {"numpy": expected, "cuda": {}}
    assert catalog.expected_failures("c.three", ["ctests/test_c.py::test_x", "ctests/test_c.py::test_z"],
                                     by_backend) == {"numpy": "ctests/test_c.py::test_x: only x"}
    assert catalog.expected_failures("c.one", [], by_backend) == {"numpy": "one"}


def test_claims_command_lists_claims_with_their_tests(tmp_path, monkeypatch, capsys):
    _catalogue(tmp_path, GOOD_CLAIM)
    _write(tmp_path / "ctests" / "test_views.py", """
        from conformance import claims

        @claims("views.transpose-shares-storage")
        def test_ok(differential): ...
    """)
    for name, sub in (("SPEC", "spec"), ("TESTS", "ctests"), ("EXPECTATIONS", "exp")):
        monkeypatch.setenv(f"CONFORMANCE_{name}_DIR", str(tmp_path / sub))
    assert cli.main(["claims", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == "views.transpose-shares-storage" and row["chapter"] == "views"
    assert row["status"] == "holds" and row["tests"] == ["ctests/test_views.py::test_ok"]
    assert row["sources"] == [{"doc": "memo", "section": "transpose()"}]


# --- the comparison sees every observable -----------------------------------------------------------------

def test_layout_differences_are_path_qualified():
    o = {"b": torch.arange(6).reshape(2, 3).t()}
    i = {"b": torch.arange(9).reshape(3, 3)[:, :2]}
    lines = compare_results(o, i, Options(layout=True))
    assert "result['b'].stride: oracle (1, 3) vs impl (3, 1)" in lines
    assert "result['b'].is_contiguous(): oracle False vs impl False" not in lines
    assert any(line.startswith("result['b'] values:") for line in lines)
    assert not any(".stride" in line for line in compare_results(o, i, Options()))


def test_storage_sharing_is_compared_as_a_partition():
    a = torch.arange(6.0)
    o = (a, a.view(2, 3), torch.zeros(0), a[2:])
    i = (a, a.view(2, 3).clone(), torch.zeros(0), a[2:])
    lines = compare_results(o, i, Options(layout=True))
    assert lines == [
        "storage sharing (untyped_storage().data_ptr()): oracle [['result[0]', 'result[1]', 'result[3]']]"
        " vs impl [['result[0]', 'result[3]']]",
        "data_ptr() sharing: oracle [['result[0]', 'result[1]']] vs impl []",
    ]


def test_python_values_are_compared_by_type_and_value():
    o = [1, 2.0, True, torch.Size([2]), torch.float32, "x", None, math.nan, torch.ones(2), {"k": 1}, (1,)]
    i = [1.0, 2.0000001, 1, (2,), torch.float64, "y", 0, math.nan, [1.0, 1.0], {"j": 1}, [1]]
    assert compare_results(o, i, Options()) == [
        "result[0]: oracle 1 (int) vs impl 1.0 (float)",
        "result[2]: oracle True (bool) vs impl 1 (int)",
        "result[3] type: oracle Size vs impl tuple",
        "result[4]: oracle torch.float32 vs impl torch.float64",
        "result[5]: oracle 'x' vs impl 'y'",
        "result[6]: oracle None vs impl 0 (int)",
        "result[8]: oracle Tensor(shape=(2,), dtype=torch.float32) vs impl list of length 2",
        "result[9] keys: oracle [\"'k'\"] vs impl [\"'j'\"]",
        "result[10] type: oracle tuple vs impl list",
    ]


def test_tensor_attributes_and_leaf_grads_are_compared():
    x = torch.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    y = torch.ones(3, requires_grad=True)
    (y * 3).sum().backward()
    lines = compare_results({"x": x, "y": x * 2, "p": torch.nn.Parameter(torch.ones(1))},
                            {"x": y, "y": (y + y).detach(), "p": torch.ones(1, requires_grad=True)}, Options())
    assert lines[0].startswith("result['x'].grad values: Tensor-likes are not close!")
    assert lines[1:] == [
        "result['y'].requires_grad: oracle True vs impl False",
        "result['y'].is_leaf: oracle False vs impl True",
        "result['y'].grad_fn: oracle MulBackward0 vs impl None",
        "result['p'] class: oracle 'Parameter' vs impl 'Tensor'",
    ]
    assert compare_results(x, y, Options(grads=False)) == []


def test_values_use_per_dtype_tolerances_unless_overridden():
    a, b = torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0001])
    assert compare_results(a, b, Options()) != []
    assert compare_results(a.half(), b.half(), Options()) == []
    assert compare_results(a, b, Options(tolerance=Tolerance(rtol=1e-3))) == []
    assert compare_results(torch.tensor([math.nan, 1]), torch.tensor([math.nan, 1]), Options()) == []
    assert compare_results(torch.tensor([1, 2]), torch.tensor([1, 3]), Options()) != []
    assert compare_results(torch.tensor([1, 2]), torch.tensor([1, 2], dtype=torch.int32), Options()) == [
        "result.dtype: oracle torch.int64 vs impl torch.int32"]


def test_exceptions_stdout_and_warnings_are_compared():
    errors = [("RuntimeError", "view size is not compatible")]
    lines = compare_outcomes(Outcome(error=RuntimeError("view size is not compatible with input")),
                             Outcome(error=ValueError("bad shape")), Options(), errors)
    assert lines == [
        "exception type: oracle RuntimeError: view size is not compatible with input vs impl ValueError: bad shape",
        "exception: the claims declare RuntimeError matching 'view size is not compatible', but the impl raised"
        " ValueError: bad shape",
    ]
    assert compare_outcomes(Outcome(error=RuntimeError("view size is not compatible")),
                            Outcome(error=RuntimeError("view size is not compatible (at least...)")),
                            Options(), errors) == []
    assert compare_outcomes(Outcome(error=IndexError("x")), Outcome(result=1), Options(), []) == [
        "exception: oracle raised IndexError: x but impl returned 1"]
    lines = compare_outcomes(Outcome(result=1, stdout="a\nb\n", warnings=[("UserWarning", "w")]),
                             Outcome(result=1, stdout="a\nc\n"), Options(), [])
    assert lines[0].startswith("stdout differs:") and "-b" in lines[0] and "+c" in lines[0]
    assert lines[1] == "warnings: oracle [('UserWarning', 'w')] vs impl []"


def test_cuda_backend_reads_an_oracle_on_cpu_as_cuda():
    devices = DeviceMap(oracle_cpu_is_cuda=True)
    assert devices.same("cpu", "cuda") and devices.same("cpu", "cuda:0") and not devices.same("cpu", "cpu")
    assert devices.impl_text("tensor([1., 2.], device='cuda:0')") == "tensor([1., 2.])"
    assert not DeviceMap().same("cpu", "cuda") and DeviceMap().impl_text("device='cuda:0'") == "device='cuda:0'"


# --- the harness runs programs on both sides --------------------------------------------------------------

def _torch_with(**overrides) -> object:
    """torch's namespace with some functions replaced: a buggy implementation that leaves torch intact."""
    module = type(torch)("buggy")
    module.__dict__.update({k: getattr(torch, k) for k in dir(torch) if not k.startswith("__")})
    module.__dict__.update(overrides)
    return module


def test_a_mismatch_carries_a_reproduction():
    buggy = _torch_with(arange=lambda *a, **k: torch.arange(*a, **k).double())
    differential = Differential("buggy", buggy, "numpy", "cpu", "cpu")
    differential.context = RunContext("conformance/test_x.py::test_y", [], ["--impl", "buggy"])
    n, values = 4, np.arange(3, dtype=np.float32)

    def program(T, device):
        return T.arange(n, device=device), T.from_numpy(values.copy())
    with pytest.raises(ConformanceMismatch) as info:
        differential(program)
    text = str(info.value)
    assert "result[0].dtype: oracle torch.int64 vs impl torch.float64" in text
    for fragment in ("pytest conformance/test_x.py::test_y --impl buggy", "import buggy as impl", "n = 4",
                     "values = np.array([0.0, 1.0, 2.0], dtype=np.float32)", "def program(T, device):",
                     "print('impl:  ', program(impl, 'cpu'))", "backend: numpy"):
        assert fragment in text, f"{fragment!r} missing from:\n{text}"


def test_predicates_are_checked_on_the_oracle_and_results_returned():
    differential = Differential("torch", torch, "numpy", "cpu", "cpu")

    def program(T, device):
        a = T.arange(6, device=device)
        return a, a.view(2, 3)
    oracle, impl = differential(program, layout=True, predicate=lambda r, T: r[0].data_ptr() == r[1].data_ptr())
    assert oracle[0].data_ptr() == oracle[1].data_ptr() and impl[0].data_ptr() != oracle[0].data_ptr()
    with pytest.raises(ConformanceMismatch, match="claim predicate is False on the oracle"):
        differential(program, predicate=lambda r, T: r[0].data_ptr() != r[1].data_ptr())


def test_programs_run_isolated_from_warning_filters_and_global_state():
    def program(T, device):
        T.set_default_dtype(T.float64)
        print("hello")
        warnings.warn("careful", UserWarning)
        return T.tensor([1.0]).dtype

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = run_program(program, torch, "cpu")
    assert (outcome.result, outcome.stdout, outcome.warnings) == (torch.float64, "hello\n",
                                                                  [("UserWarning", "careful")])
    assert torch.get_default_dtype() == torch.float32


# --- strategies produce what they promise (checked on torch) -----------------------------------------------

@given(data=st.data(), shape=cst.shapes())
def test_view_shapes_are_accepted_by_view(data, shape):
    target = data.draw(cst.view_shapes(shape))
    assert torch.zeros(shape).view(target).numel() == cst.numel(shape)


@given(pair=cst.broadcastable_shapes(), bad=cst.non_broadcastable_shapes())
def test_broadcastable_shape_pairs(pair, bad):
    torch.broadcast_shapes(*pair)
    with pytest.raises(RuntimeError):
        torch.broadcast_shapes(*bad)


@given(data=st.data(), shape=cst.shapes(max_dims=3))
def test_index_expressions_and_dims_are_valid(data, shape):
    t = torch.zeros(shape)
    t[data.draw(cst.index_expressions(shape))]
    t.sum(data.draw(cst.dims(len(shape))))
    with pytest.raises(IndexError):
        t.sum(data.draw(cst.invalid_dims(len(shape))))


@given(data=st.data(), name=cst.dtypes(kinds=("float", "complex"), exclude=()))
def test_float_values_are_exact_in_their_dtype(data, name):
    value = data.draw(cst.float_values(name))
    assert torch.tensor(value, dtype=getattr(torch, name)).item() == value


@given(data=st.data(), name=cst.dtypes(exclude=("bfloat16",)), shape=cst.shapes(max_dims=3))
def test_arrays_have_the_dtype_and_shape(data, name, shape):
    arr = data.draw(cst.arrays(shape, name))
    assert (arr.dtype.name, arr.shape) == (name, shape)


@given(data=st.data(), shape=cst.nonempty_shapes(max_dims=3))
def test_nested_lists_have_the_shape(data, shape):
    assert torch.tensor(data.draw(cst.float_lists(shape))).shape == shape
    assert torch.tensor(data.draw(cst.int_lists(shape))).shape == shape


# --- the plugin end to end (a throwaway catalogue in a temporary folder) ---------------------------------

PLUGIN_TESTS = """
    from hypothesis import given, strategies as st
    from conformance import claims


    @claims("views.ones-are-float")
    @given(n=st.integers(1, 4))
    def test_ones(differential, n):
        def program(T, device):
            return T.ones(n, device=device)
        differential(program)


    @claims("views.zeros-are-float")
    def test_zeros_known_failure(differential):
        def program(T, device):
            return T.ones(2, device=device) * 0
        differential(program)


    @claims("views.transpose-shares-storage")
    def test_transpose(differential):
        def program(T, device):
            a = T.zeros(2, 3, device=device)
            return a, a.transpose(0, 1)
        differential(program, layout=True)
"""
BROKEN_TESTS = """
    from conformance import claims


    def test_without_claims(differential):
        differential(lambda T, device: 1)


    @claims("views.nope")
    def test_unknown_claim(differential):
        differential(lambda T, device: 1)
"""
IMPLS = {
    "buggy.py": "import torch\nfrom torch import *  # noqa\n__version__ = 'b1'\n"
                "def ones(*a, **k):\n    return torch.ones(*a, **k).double()\n",
    "nocuda.py": "import torch\nfrom torch import *  # noqa\n"
                 "def zeros(*a, device=None, **k):\n    return torch.zeros(*a, **k)\n",
}


@pytest.fixture
def project(tmp_path):
    claims = GOOD_CLAIM + "".join(GOOD_CLAIM.replace("transpose-shares-storage", name) for name in
                                  ("ones-are-float", "zeros-are-float"))
    claims = claims.replace('status = "holds"', 'status = "erratum"\nsays = "SAYS-X"\nactual = "ACTUAL-Y"', 1)
    _catalogue(tmp_path, claims)
    _write(tmp_path / "ctests" / "test_views.py", PLUGIN_TESTS)
    _write(tmp_path / "ctests" / "test_shape.py", BROKEN_TESTS)
    _write(tmp_path / "exp" / "numpy.toml", '# header\n[[xfail]]\nclaim = "views.zeros-are-float"\nreason = "r"\n')
    for name, text in IMPLS.items():
        _write(tmp_path / name, text)
    return tmp_path


def _pytest(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join([str(catalog.REPO_ROOT), str(cwd)]),
               "CONFORMANCE_SPEC_DIR": str(cwd / "spec"), "CONFORMANCE_SOURCES_DIR": str(cwd / "sources"),
               "CONFORMANCE_TESTS_DIR": str(cwd / "ctests"), "CONFORMANCE_EXPECTATIONS_DIR": str(cwd / "exp"),
               **env}
    cmd = [sys.executable, "-m", "pytest", "-p", "conformance.conftest", "-p", "no:cacheprovider", *args]
    return subprocess.run(cmd, cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def test_plugin_reports_failures_xfails_and_writes_the_report(project):
    run = _pytest(project, "ctests", "--impl", "buggy", "-n", "2", "--conformance-report", "rep", "-W", "error")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    tests = json.loads((project / "rep" / "report.json").read_text())["runs"]["buggy/numpy"]["tests"]
    assert {k.split("::")[1]: v["outcome"] for k, v in tests.items()} == {
        "test_ones": "failed", "test_zeros_known_failure": "xfailed", "test_transpose": "passed",
        "test_without_claims": "failed", "test_unknown_claim": "failed"}
    for fragment in ("result.dtype: oracle torch.float32 vs impl torch.float64", "n = 1", "def program(T, device):",
                     "pytest ctests/test_views.py::test_ones --impl buggy --backend numpy --hypothesis-profile ci",
                     "@reproduce_failure(", "conformance test without @claims(...)",
                     "@claims names unknown claim id(s) ['views.nope']"):
        assert fragment in out, f"{fragment!r} missing from:\n{out}"
    assert "views                 3        3        1        1        1        1" in out, out
    assert "shape                 0        2        0        2        0        0" in out, out
    page = (project / "rep" / "report.html").read_text()
    assert all(s in page for s in ("transpose shares storage.", "SAYS-X", "ACTUAL-Y", "buggy b1", "memo"))

    run = _pytest(project, "ctests/test_views.py", "--impl", "torch", "--conformance-report", "rep")
    assert run.returncode == 0, run.stdout + run.stderr  # expectations are ignored for torch itself
    report = json.loads((project / "rep" / "report.json").read_text())
    assert sorted(report["runs"]) == ["buggy/numpy", "torch/numpy"]
    assert set(report["runs"]["torch/numpy"]["claims"].values()) == {"pass"}


def test_stale_expectations_stop_the_run(project, monkeypatch):
    from conformance.conftest import _expectations

    _write(project / "exp" / "cuda.toml", '[[xfail]]\nclaim = "views.nope"\nreason = "r"\n')
    for name, sub in (("TESTS", "ctests"), ("EXPECTATIONS", "exp")):
        monkeypatch.setenv(f"CONFORMANCE_{name}_DIR", str(project / sub))
    spec = catalog.load_spec(project / "spec")
    assert _expectations("numpy", spec) == {"views.zeros-are-float": "r"}
    with pytest.raises(pytest.UsageError, match="claim 'views.nope' does not exist in spec/"):
        _expectations("cuda", spec)


def test_cuda_backend_without_cuda_fails_instead_of_skipping(project):
    run = _pytest(project, "ctests/test_views.py", "--impl", "nocuda", "--backend", "cuda")
    out = run.stdout + run.stderr
    assert run.returncode == 1 and "skipped" not in out, out
    assert "3 errors" in out and "has no working cuda backend: zeros(2, device='cuda') gave a tensor on cpu" in out


# --- planted bugs are caught ----------------------------------------------------------------------------------

def _outcomes(impl: str, chapters: set[str], keywords: str) -> dict[str, str]:
    """``nodeid -> PASSED/FAILED/XFAIL/...`` for the selected conformance tests run against ``impl``."""
    cmd = [sys.executable, "-m", "pytest", *sorted(f"conformance/test_{c}.py" for c in chapters), "-q", "-rA",
           "-n", "0", "-p", "no:cacheprovider", "-k", keywords, "--impl", impl, "--hypothesis-profile", "noshrink"]
    run = subprocess.run(cmd, cwd=catalog.REPO_ROOT, capture_output=True, text=True, timeout=300)
    out = run.stdout + run.stderr
    assert run.returncode in (0, 1), f"{' '.join(cmd)} could not run:\n{out[-3000:]}"
    found = re.findall(r"^(PASSED|FAILED|ERROR|XFAIL|XPASS) (\S+)", run.stdout, re.MULTILINE)
    assert found, f"-k {keywords!r} selects no test in {sorted(chapters)}:\n{out[-2000:]}"
    return {nodeid: outcome for outcome, nodeid in found}


@pytest.fixture(scope="module")
def reftorch_outcomes() -> dict[str, str]:
    """The real reftorch on every planted bug's tests (one run): a bug is caught by tests reftorch passes."""
    chapters = {m.chapter for m in MUTANTS.values() if (catalog.tests_dir() / f"test_{m.chapter}.py").exists()}
    return _outcomes("reftorch", chapters, " or ".join(f"({m.keywords})" for m in MUTANTS.values()))


@pytest.mark.parametrize("name", list(MUTANTS))
def test_planted_bug_is_caught(name, reftorch_outcomes):
    mutant = MUTANTS[name]
    outcomes = _outcomes(f"conformance.mutants.{name}", {mutant.chapter}, mutant.keywords)
    caught = [n for n, o in outcomes.items() if o == "FAILED" and reftorch_outcomes.get(n) == "PASSED"]
    assert caught, (f"no test that passes on reftorch fails with the planted bug ({mutant.bug}):\n"
                    f"  with the bug: {outcomes}\n  reftorch: "
                    f"{ {n: reftorch_outcomes.get(n) for n in outcomes} }")


# --- the API inventory (conformance/inventory.py, conformance/absent.toml) ---------------------------------------

def test_absent_entries_are_counted_torch_names_that_reftorch_lacks():
    import reftorch
    from conformance import inventory

    problems = inventory.absent_problems(inventory.load_absent(), reftorch)
    assert not problems, _report(problems)


def test_absent_problems_are_reported(tmp_path):
    import reftorch
    from conformance import inventory

    path = _write(tmp_path / "absent.toml", """
        [[absent]]
        name = "torch.Tensor.to_mkldnn"
        reason = "no mkldnn layout"

        [[absent]]
        name = "torch.Tensor.no_such_method"
        reason = "r"

        [[absent]]
        name = "torch.zeros"
        reason = "reftorch has it"

        [[absent]]
        name = "torch.sparse.mm"
        reason = "a real name no section counts"

        [[absent]]
        name = "torch.Tensor.to_mkldnn"
        reason = "twice"

        [[absent]]
        name = "torch.sparse_coo_tensor"
        reason = " "

        [[absent]]
        name = "sparse_csr_tensor"
        reason = "r"

        [[absent]]
        name = "torch.sparse_csc_tensor"
        reason = "r"
        since = "1.0"
    """)
    absent = inventory.load_absent(path)
    assert absent.reasons == {"torch.Tensor.to_mkldnn": "no mkldnn layout", "torch.Tensor.no_such_method": "r",
                              "torch.zeros": "reftorch has it",
                              "torch.sparse.mm": "a real name no section counts"}
    assert inventory.absent_problems(absent, reftorch) == [
        "absent.toml [[absent]] #5: torch.Tensor.to_mkldnn is listed twice",
        "absent.toml [[absent]] #6 (torch.sparse_coo_tensor): reason must be a non-empty string",
        "absent.toml [[absent]] #7: name 'sparse_csr_tensor' must be a dotted torch name ('torch.<path>')",
        "absent.toml [[absent]] #8: keys must be exactly name and reason, got {'name': 'torch.sparse_csc_tensor', "
        "'reason': 'r', 'since': '1.0'}",
        f"torch.Tensor.no_such_method: not a torch name (torch {torch.__version__})",
        "torch.zeros: listed as absent but reftorch has it (mark it with _reftorch_unsupported if it only raises, "
        "or remove the entry)",
        f"torch.sparse.mm: counted by no section of the inventory ({', '.join(inventory.SECTIONS)})",
    ]
    _write(tmp_path / "bad.toml", "[[absent]\n")
    assert inventory.load_absent(tmp_path / "bad.toml").problems[0].startswith("bad.toml: cannot be read:")


def test_inventory_sections_count_public_documented_names_of_their_module():
    from conformance import inventory

    top, tensor, nn, functional, fft, data, optim = (set(inventory.torch_names(f"torch{s}")) for s in (
        "", ".Tensor", ".nn", ".nn.functional", ".fft", ".utils.data", ".optim"))
    assert {"zeros", "Tensor", "dtype", "no_grad", "unique", "set_default_dtype", "broadcast_shapes"} <= top
    # not constants, dtypes, modules, names neither in __all__ nor documented, private names
    assert not {"pi", "float32", "nn", "HalfStorage", "classproperty", "_C"} & top
    assert {"add", "shape", "T", "__add__", "__radd__", "__getitem__", "__len__", "__hash__", "__eq__"} <= tensor
    assert not {"__dict__", "__new__", "__init_subclass__", "__sizeof__", "_version"} & tensor
    assert {"relu", "conv2d", "linear", "softmax"} <= functional  # Python functions and C bindings
    assert not {"Tensor", "Optional", "handle_torch_function", "assert_int_or_pair"} & functional
    assert "Linear" in nn and "Container" not in nn
    assert "hfft2" in fft and "Tensor" not in fft
    assert "_DatasetKind" not in data and "lr_scheduler" not in optim


def _fake_impl() -> object:
    """A tiny implementation: names it has, names it marks unsupported, a special method it disables."""
    impl, nn = type(torch)("fakeimpl"), type(torch)("fakeimpl.nn")

    class Tensor:
        __hash__ = None  # Python's "not supported"

        def add(self, other): ...

        def __add__(self, other): ...

        @property
        def is_mkldnn(self): ...

        def to_mkldnn(self): ...

    Tensor.is_mkldnn.fget._reftorch_unsupported = "no mkldnn"
    Tensor.to_mkldnn._reftorch_unsupported = "no mkldnn layout"
    nn.Linear = type("Linear", (), {})
    impl.Tensor, impl.nn = Tensor, nn
    return impl


def test_inventory_splits_names_into_has_raises_listed_and_missing():
    import reftorch
    from conformance import inventory

    names = ["add", "__add__", "is_mkldnn", "to_mkldnn", "to_sparse", "__hash__", "__eq__", "mul"]
    c = inventory.count("torch.Tensor", names, _fake_impl(), {"torch.Tensor.to_sparse": "no sparse layout"})
    assert (c.has, c.raises, c.listed, c.missing) == (("add", "__add__"), ("is_mkldnn", "to_mkldnn"),
                                                      ("to_sparse",), ("__hash__", "__eq__", "mul"))
    assert (c.torch, c.deliberately_absent, c.coverage, c.coverage_of_all) == (8, 3, 2 / 5, 2 / 8)
    assert inventory.count("torch.nn", ["Linear", "ReLU"], _fake_impl(), {}).has == ("Linear",)
    assert inventory.resolve(reftorch, "torch.nn.functional.relu") is reftorch.nn.functional.relu
    assert inventory.resolve(reftorch, "torch.utils.data.Dataset") is reftorch.utils.data.Dataset
    assert inventory.resolve(reftorch, "torch.utils.data.IterDataPipe") is inventory.MISSING  # no DataPipes


def test_inventory_command_prints_every_section_with_consistent_figures(capsys):
    from conformance import inventory

    assert cli.main(["inventory", "--json", "--missing"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = report["sections"]
    assert [r["section"] for r in rows] == [*inventory.SECTIONS, "total"]
    for r in rows:
        assert r["torch"] > 0 and r["has"] + r["deliberately_absent"] + r["missing"] == r["torch"], r
        assert r["raises"] + r["listed"] == r["deliberately_absent"] and len(r["missing_names"]) == r["missing"], r
        assert r["coverage_of_all"] == round(r["has"] / r["torch"], 4), r
        assert r["coverage"] == round(r["has"] / (r["torch"] - r["deliberately_absent"]), 4), r
    for key in ("torch", "has", "deliberately_absent", "missing"):
        assert rows[-1][key] == sum(r[key] for r in rows[:-1])
    assert rows[-1]["listed"] == len(inventory.load_absent().reasons)  # every listed name enters the figures
    assert cli.main(["inventory", "--missing"]) == 0
    text = capsys.readouterr().out
    for r in rows:
        assert re.search(rf"^{re.escape(r['section'])} +{r['torch']} +{r['has']} +{r['deliberately_absent']} ", text,
                         re.MULTILINE), f"no row for {r}:\n{text}"
        if r["section"] != "total" and r["missing"]:
            first = re.escape(r["missing_names"][0])
            assert re.search(rf"\n{re.escape(r['section'])}: {r['missing']} missing\n  {first}\b", text), text

# --- parametrized tests: claims through pytest.param marks, case ids in expectations --------------------------

def _claims_named(*slugs: str) -> str:
    """Well-formed throwaway claims ``views.<slug>``."""
    return "".join(GOOD_CLAIM.replace("transpose-shares-storage", slug) for slug in slugs)


PARAM_SCAN_TESTS = """
    import pytest
    import a_module_the_scan_never_imports  # the scan is static: it never imports a test file
    from conformance import claims

    LOSSES = [
        pytest.param("L1Loss", marks=claims("views.l1"), id="l1"),
        pytest.param("MSELoss", marks=[pytest.mark.slow, claims("views.mse", "views.shared")], id="mse"),
    ]


    @claims("views.shared")
    @pytest.mark.parametrize("name", LOSSES)
    def test_named(differential, name): ...


    @claims("views.fn")
    @pytest.mark.parametrize("n", [1, None, "x y", (1, 2)])
    @pytest.mark.parametrize("kind, flag", [("a", True), pytest.param("b", False, id="bee")])
    def test_stacked(differential, n, kind, flag): ...


    @claims("views.fn")
    @pytest.mark.parametrize("seed", [0, 2**31])
    def test_ids_not_literal(differential, seed): ...


    @pytest.mark.parametrize("x", [pytest.param(1, marks=claims("views.l1"), id="one"), pytest.param(2, id="two")])
    def test_case_without_claims(differential, x): ...


    @pytest.mark.parametrize("f", [pytest.param(len, marks=claims("views.l1"))])
    def test_case_id_unknown(differential, f): ...
"""
SCANNED = {
    "ctests/test_views.py::test_named[l1]": ("views.shared", "views.l1"),
    "ctests/test_views.py::test_named[mse]": ("views.shared", "views.mse"),
    **{f"ctests/test_views.py::test_stacked[{k}-{n}]": ("views.fn",)
       for k in ("a-True", "bee") for n in ("1", "None", "x y", "n3")},
    "ctests/test_views.py::test_ids_not_literal": ("views.fn",),
    "ctests/test_views.py::test_case_without_claims[one]": ("views.l1",),
    "ctests/test_views.py::test_case_without_claims[two]": None,
    "ctests/test_views.py::test_case_id_unknown": (catalog.UNREADABLE,),
}


def test_scan_reads_claims_given_through_pytest_param_marks(tmp_path, monkeypatch, capsys):
    spec = _catalogue(tmp_path, _claims_named("l1", "mse", "shared", "fn"))
    _write(tmp_path / "ctests" / "test_views.py", PARAM_SCAN_TESTS)
    scan = catalog.scan_tests(tmp_path / "ctests")
    assert scan == SCANNED  # pytest's ids: stacked ones from the innermost decorator on, "n3" for a tuple
    assert catalog.tests_by_claim(scan)["views.l1"] == ["ctests/test_views.py::test_named[l1]",
                                                        "ctests/test_views.py::test_case_without_claims[one]"]
    assert catalog.claim_test_problems(spec, scan) == [
        "ctests/test_views.py::test_case_without_claims[two]: no @claims(...) decorator or claims(...) in its"
        " pytest.param marks with claim ids",
        "ctests/test_views.py::test_case_id_unknown: claims the static scan cannot read: claim ids must be string"
        " literals, and parametrized cases that carry claims need ids it can tell (pytest.param(...,"
        " marks=claims(...), id='...') in a literal list)",
    ]
    for name, sub in (("SPEC", "spec"), ("TESTS", "ctests"), ("EXPECTATIONS", "exp")):
        monkeypatch.setenv(f"CONFORMANCE_{name}_DIR", str(tmp_path / sub))
    assert cli.main(["claims", "--json"]) == 0
    rows = {row["id"]: row["tests"] for row in json.loads(capsys.readouterr().out)}
    assert rows["views.mse"] == ["ctests/test_views.py::test_named[mse]"]
    assert rows["views.shared"] == ["ctests/test_views.py::test_named[l1]", "ctests/test_views.py::test_named[mse]"]


def test_expectations_may_name_one_case_and_stale_cases_are_refused(tmp_path, monkeypatch):
    from conformance.conftest import _expectations

    spec = _catalogue(tmp_path, _claims_named("l1", "mse", "shared", "fn"))
    _write(tmp_path / "ctests" / "test_views.py", PARAM_SCAN_TESTS)
    scan = catalog.scan_tests(tmp_path / "ctests")
    entry = '[[xfail]]\ntest = "ctests/test_views.py::{}"\nreason = "{}"\n'
    _write(tmp_path / "exp" / "numpy.toml", entry.format("test_named[mse]", "mse only")
           + entry.format("test_stacked", "every case"))
    _write(tmp_path / "exp" / "cuda.toml", entry.format("test_named[huber]", "r")
           + entry.format("test_ids_not_literal[0]", "r"))
    for name, sub in (("TESTS", "ctests"), ("EXPECTATIONS", "exp")):
        monkeypatch.setenv(f"CONFORMANCE_{name}_DIR", str(tmp_path / sub))
    expected = _expectations("numpy", spec)
    assert catalog.expected_failure("ctests/test_views.py::test_named[mse]", SCANNED[
        "ctests/test_views.py::test_named[mse]"], expected) == "mse only"
    assert catalog.expected_failure("ctests/test_views.py::test_named[l1]", SCANNED[
        "ctests/test_views.py::test_named[l1]"], expected) is None
    assert catalog.expected_failure("ctests/test_views.py::test_stacked[bee-1]", ("views.fn",), expected) == \
        "every case"
    assert catalog.expected_failures("views.mse", ["ctests/test_views.py::test_named[mse]"], {"numpy": expected}) \
        == {"numpy": "ctests/test_views.py::test_named[mse]: mse only"}
    with pytest.raises(pytest.UsageError) as info:
        _expectations("cuda", spec)
    assert str(info.value).splitlines()[1:] == [
        "  expectations/cuda.toml: test 'ctests/test_views.py::test_named[huber]' does not exist"
        " (its cases: [l1], [mse])",
        "  expectations/cuda.toml: test 'ctests/test_views.py::test_ids_not_literal[0]' does not exist"
        " (the scan cannot tell the ids of its cases: give them pytest.param(..., id=...))",
    ]
    assert catalog.expectation_problems(spec, expected, set(catalog.tests_by_claim(scan)), "numpy", scan) == []


PARAM_PLUGIN_TESTS = """
    import pytest
    from hypothesis import given, strategies as st
    from conformance import claims

    MAKERS = [
        pytest.param("ones", marks=claims("views.ones-are-float"), id="ones"),
        pytest.param("zeros", marks=claims("views.zeros-are-float"), id="zeros"),
        pytest.param("arange", marks=claims("views.arange-is-int"), id="arange"),
    ]


    @claims("views.made-on-the-device")
    @pytest.mark.parametrize("make", MAKERS)
    @given(n=st.integers(1, 4))
    def test_made(differential, make, n):
        def program(T, device):
            return getattr(T, make)(n, device=device)
        differential(program)
"""
HIDDEN_CLAIMS_TESTS = """
    import pytest
    from conformance import claims


    def _cases():
        return [pytest.param(1, marks=claims("views.ones-are-float"), id="one")]


    @pytest.mark.parametrize("k", _cases())
    def test_hidden_claims(differential, k):
        differential(lambda T, device: k)
"""


@pytest.fixture
def param_project(tmp_path):
    _catalogue(tmp_path, _claims_named("made-on-the-device", "ones-are-float", "zeros-are-float", "arange-is-int"))
    _write(tmp_path / "ctests" / "test_views.py", PARAM_PLUGIN_TESTS)
    _write(tmp_path / "ctests" / "test_shape.py", HIDDEN_CLAIMS_TESTS)
    _write(tmp_path / "exp" / "numpy.toml", "# no known failures\n")
    _write(tmp_path / "buggy.py", IMPLS["buggy.py"])
    return tmp_path


def _run_outcomes(project: Path, *args: str) -> tuple[dict[str, str], dict, str]:
    """Test outcomes (by node id), the run's report and the output of a plugin run writing into rep/."""
    run = _pytest(project, *args, "--impl", "buggy", "--conformance-report", "rep")
    report = json.loads((project / "rep" / "report.json").read_text())
    tests = report["runs"]["buggy/numpy"]["tests"]
    return {k: v["outcome"] for k, v in tests.items()}, report, run.stdout + run.stderr


def test_a_bug_in_one_parametrized_case_fails_that_case_only(param_project):
    outcomes, report, out = _run_outcomes(param_project, "ctests")
    assert outcomes == {"ctests/test_views.py::test_made[ones]": "failed",
                        "ctests/test_views.py::test_made[zeros]": "passed",
                        "ctests/test_views.py::test_made[arange]": "passed",
                        "ctests/test_shape.py::test_hidden_claims[one]": "failed"}, out
    assert "result.dtype: oracle torch.float32 vs impl torch.float64" in out
    # the static scan cannot see claims made by a function call: pytest's and the scan's views are compared
    assert ("reads ctests/test_shape.py::test_hidden_claims as claiming [], but pytest collects it claiming"
            " ['views.ones-are-float']") in out
    assert report["runs"]["buggy/numpy"]["claims"] == {
        "views.made-on-the-device": "fail", "views.ones-are-float": "fail", "views.zeros-are-float": "pass",
        "views.arange-is-int": "pass"}
    tests = {c["id"]: c["tests"] for ch in report["chapters"] for c in ch["claims"]}
    assert tests["views.zeros-are-float"] == ["ctests/test_views.py::test_made[zeros]"]
    assert len(tests["views.made-on-the-device"]) == 3


def test_an_expectation_naming_a_case_makes_that_case_a_strict_xfail(param_project):
    entry = '[[xfail]]\ntest = "ctests/test_views.py::test_made[{}]"\nreason = "r"\n'
    _write(param_project / "exp" / "numpy.toml", entry.format("ones") + entry.format("zeros"))
    outcomes, report, out = _run_outcomes(param_project, "ctests/test_views.py")
    assert outcomes == {"ctests/test_views.py::test_made[ones]": "xfailed",  # fails, as expected
                        "ctests/test_views.py::test_made[zeros]": "failed",  # passes: strict xfail
                        "ctests/test_views.py::test_made[arange]": "passed"}, out
    assert "[XPASS(strict)] expected failure (numpy): r" in out
    chapter = next(ch for ch in report["chapters"] if ch["chapter"] == "views")
    failures = {c["id"]: c["expected_failures"] for c in chapter["claims"]}
    assert failures["views.ones-are-float"] == {"numpy": "ctests/test_views.py::test_made[ones]: r"}


def test_planted_bug_in_one_real_case_is_caught_by_that_case_only(reftorch_outcomes):
    cases = [f"conformance/test_math.py::test_matrix_product[{c}]" for c in ("bmm", "mm", "matmul-batch-broadcast")]
    assert all(reftorch_outcomes.get(c) == "PASSED" for c in cases), reftorch_outcomes
    outcomes = _outcomes("conformance.mutants.bmm_float64", {"math"}, "test_matrix_product")
    assert outcomes == dict(zip(cases, ("FAILED", "PASSED", "PASSED"), strict=True))


def test_known_failures_are_not_shrunk_only_while_their_case_runs():
    from hypothesis import Phase

    from conformance.conftest import _without_shrinking

    @given(st.integers())
    def shared_by_cases(x): ...

    before = shared_by_cases._hypothesis_internal_use_settings
    with _without_shrinking(type("Item", (), {"obj": shared_by_cases})):
        assert Phase.shrink not in shared_by_cases._hypothesis_internal_use_settings.phases
    assert shared_by_cases._hypothesis_internal_use_settings is before
