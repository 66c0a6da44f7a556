"""``python -m conformance claims [--json] [--chapter NAME]``: the spec claims and the tests that check them.

``python -m conformance check``: the catalogue's well-formedness problems (the checks the meta-tests make).

``python -m conformance inventory [--json] [--missing]``: how much of the installed torch's public API reftorch
has, section by section (conformance/inventory.py says how names are counted).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from conformance import spec as catalog


def _claims(args: argparse.Namespace) -> int:
    spec = catalog.load_spec()
    by_claim = catalog.tests_by_claim(catalog.scan_tests())
    expectations = {b: catalog.load_expectations(b) for b in catalog.BACKENDS}
    rows = []
    for claim in spec.claims.values():
        if args.chapter and claim.chapter != args.chapter:
            continue
        row = claim.as_dict()
        row["tests"] = by_claim.get(claim.id, [])
        row["expected_failures"] = catalog.expected_failures(claim.id, row["tests"], expectations)
        rows.append(row)
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
    else:
        for row in rows:
            flag = "E" if row["status"] == "erratum" else " "
            print(f"{flag} {row['id']:<50} {len(row['tests'])} test(s)  {row['statement']}")
    return 0


def _check(_: argparse.Namespace) -> int:
    spec = catalog.load_spec()
    problems = spec.problems + catalog.coverage_problems(spec) + catalog.claim_test_problems(
        spec, catalog.scan_tests())
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {len(spec.claims)} claims", file=sys.stderr)
    return 1 if problems else 0


def _inventory(args: argparse.Namespace) -> int:
    import reftorch  # here, like torch in conformance.inventory: the other subcommands stay fast
    from conformance import inventory

    absent = inventory.load_absent()
    if absent.problems:
        for problem in absent.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    counts = inventory.inventory(reftorch, absent.reasons)
    rows = [*counts, inventory.total(counts)]
    if args.json:
        json.dump({"torch_version": inventory.torch.__version__, "impl": f"reftorch {reftorch.__version__}",
                   "sections": [c.as_dict(args.missing) for c in rows]}, sys.stdout, indent=1)
        print()
        return 0
    print(f"torch {inventory.torch.__version__} vs reftorch {reftorch.__version__}; coverage = has / (torch - absent)")
    print(f"{'section':<26}{'torch':>7}{'has':>7}{'absent':>8}{'raises':>8}{'missing':>9}{'coverage':>10}{'of all':>8}")
    for c in rows:
        print(f"{c.section:<26}{c.torch:>7}{len(c.has):>7}{c.deliberately_absent:>8}{len(c.raises):>8}"
              f"{len(c.missing):>9}{c.coverage:>10.1%}{c.coverage_of_all:>8.1%}")
    if args.missing:
        for c in counts:
            if c.missing:
                print(f"\n{c.section}: {len(c.missing)} missing")
                print(textwrap.fill(" ".join(c.missing), width=118, initial_indent="  ", subsequent_indent="  ",
                                    break_on_hyphens=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    claims = sub.add_parser("claims", help="list the claims, their status and their tests")
    claims.add_argument("--json", action="store_true", help="print JSON")
    claims.add_argument("--chapter", choices=catalog.CHAPTERS, help="only this chapter")
    sub.add_parser("check", help="report catalogue problems (spec files, sources, test links)")
    inventory = sub.add_parser("inventory", help="torch's public API names reftorch has, section by section")
    inventory.add_argument("--json", action="store_true", help="print JSON")
    inventory.add_argument("--missing", action="store_true", help="also list the missing names")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return {"claims": _claims, "check": _check, "inventory": _inventory}[args.command](args)
    except catalog.SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
