"""``python -m conformance claims [--json] [--chapter NAME]``: the spec claims and the tests that check them.

``python -m conformance check``: the catalogue's well-formedness problems (the checks the meta-tests make).
"""

from __future__ import annotations

import argparse
import json
import sys

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    claims = sub.add_parser("claims", help="list the claims, their status and their tests")
    claims.add_argument("--json", action="store_true", help="print JSON")
    claims.add_argument("--chapter", choices=catalog.CHAPTERS, help="only this chapter")
    sub.add_parser("check", help="report catalogue problems (spec files, sources, test links)")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return {"claims": _claims, "check": _check}[args.command](args)
    except catalog.SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
