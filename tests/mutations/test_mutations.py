"""Every mutation of the guarantee catalogue makes one of its tests fail, and those tests pass on the
project as it is (the table of outcomes is printed at the end of the test session)."""

from __future__ import annotations

import pytest

from tests.guarantees import Mutation, load
from tests.mutations.run import Outcome, baseline, run

#: The outcomes of this session's mutation runs, for the table at the end (tests/conftest.py).
OUTCOMES: list[Outcome] = []


def test_the_tests_of_the_mutations_pass_on_the_project_as_it_is() -> None:
    outcome = run(baseline(load().mutations))
    OUTCOMES.insert(0, outcome)
    assert not outcome.caught, f"the mutations' tests fail without a mutation: {outcome.summary}"


@pytest.mark.parametrize("mutation", load().mutations, ids=lambda mutation: mutation.name)
def test_the_mutation_is_caught_by_its_tests(mutation: Mutation) -> None:
    outcome = run(mutation)
    OUTCOMES.append(outcome)
    assert outcome.caught, f"{mutation.name} broke {mutation.guarantee} and no test noticed: {outcome.summary}"
