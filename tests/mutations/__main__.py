"""``python -m tests.mutations [NAME ...]``: run the catalogue's mutations (or those named) and print
the table; the exit status is 1 when one was not caught."""

from __future__ import annotations

import sys

from tests.guarantees import load
from tests.mutations.run import baseline, run, table

if __name__ == "__main__":
    unknown = set(sys.argv[1:]) - {m.name for m in load().mutations}
    if unknown:
        sys.exit(f"no such mutation in tests/guarantees.toml: {', '.join(sorted(unknown))}")
    chosen = [m for m in load().mutations if not sys.argv[1:] or m.name in sys.argv[1:]]
    outcomes = [run(baseline(tuple(chosen)))]
    if outcomes[0].caught:
        print(f"the tests fail without a mutation: {outcomes[0].summary}", file=sys.stderr)
    for mutation in chosen:
        outcomes.append(run(mutation))
        print(f"{mutation.name}: {'caught' if outcomes[-1].caught else 'NOT caught'}", file=sys.stderr)
    print(table(outcomes))
    sys.exit(0 if not outcomes[0].caught and all(outcome.caught for outcome in outcomes[1:]) else 1)
