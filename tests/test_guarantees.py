"""The guarantee catalogue holds: every paragraph of the promising sections of the README and the
documents in docs/ is marked with its promises (or as promising nothing), every mark is in the
catalogue, every promise has tests that exist, every mutation applies to exactly one place, and CI
runs exactly the README's test command."""

from __future__ import annotations

import ast
import re

import pytest

from tests.guarantees import (
    MARKER,
    ROOT,
    SECTIONS,
    Mutation,
    defines_test,
    load,
    marked,
    promising_paragraphs,
    texts,
)

README = (ROOT / "README.md").read_text()


def test_every_paragraph_that_promises_is_marked_with_a_promise_of_the_catalogue_that_has_tests() -> None:
    catalogue = load()
    written = texts()
    paragraphs = [p for name, text in written.items() for p in promising_paragraphs(text, SECTIONS[name])]
    unmarked = [p[:120] for p in paragraphs if not MARKER.search(p)]
    assert unmarked == [], "paragraphs marked neither with a promise's id nor as promising nothing"
    assert len(paragraphs) > 40
    ids = [guarantee.id for guarantee in catalogue.guarantees]
    assert len(ids) == len(set(ids))
    in_texts = [promise for text in written.values() for promise in marked(text)]
    assert sorted(set(in_texts) - set(ids)) == [], "marks of promises that tests/guarantees.toml does not have"
    assert sorted(set(ids) - set(in_texts)) == [], "promises of tests/guarantees.toml that no text marks"
    for name, text in written.items():  # every covered section is there
        titles = {line[3:].strip() for line in text.splitlines() if line.startswith("## ")}
        assert set(SECTIONS[name]) <= titles, name
    assert [g.id for g in catalogue.guarantees if not g.tests] == []


def test_a_reworded_paragraph_keeps_its_promise() -> None:
    """The catalogue is tied to the marks, not to the wording: a paragraph said otherwise, with its
    mark, still holds its promise; without the mark it is reported."""
    text = "## Two commands for a fresh machine\n\nThe grader is jailed. <!-- promise: jail -->\n\nOther words.\n"
    reworded = text.replace("The grader is jailed.", "Every kernel runs\nin a jail.")
    for version in (text, reworded):
        paragraphs = promising_paragraphs(version, ("Two commands for a fresh machine",))
        assert [bool(MARKER.search(p)) for p in paragraphs] == [True, False]
        assert marked(version) == ["jail"]


def test_every_test_the_catalogue_names_exists() -> None:
    catalogue = load()
    named = catalogue.tests() | {test for mutation in catalogue.mutations for test in mutation.tests}
    assert sorted(test for test in named if not defines_test(test)) == []


def test_every_mutation_breaks_a_catalogued_promise_in_exactly_one_place() -> None:
    catalogue = load()
    ids = {guarantee.id for guarantee in catalogue.guarantees}
    assert len(catalogue.mutations) >= 16
    for mutation in catalogue.mutations:
        assert mutation.guarantee in ids, mutation.name
        original = (ROOT / mutation.file).read_text()
        mutated = mutation.mutated(original)
        assert mutated != original, mutation.name
        if mutation.file.endswith(".py"):
            ast.parse(mutated)  # still Python
        assert set(mutation.tests) <= catalogue.tests(), mutation.name  # its tests hold the promise


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    (command,) = re.findall(r"^bash install\.sh && \.venv/bin/ruff .*$", README, re.MULTILINE)
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == command == "bash install.sh && .venv/bin/ruff check . && .venv/bin/python -m pytest"


def test_a_mutation_by_structure_survives_a_reformat_of_its_code() -> None:
    """The same mutation finds its code however it is wrapped, spaced or quoted, and only there."""
    mutation = Mutation("minus", "g", "f.py", "a + b * 'x'", "a - b", (), function="F.f")
    for source, mutated in (("a + b * 'x'", "a - b"), ('(a\n            + b * "x")', "(a - b)"), ("a+b*'x'", "a - b")):
        code = "class F:\n    def f(a, b):\n        return {}\n\n\ndef g(a, b):\n    return a + b * 'x'\n"
        assert mutation.mutated(code.format(source)) == code.format(mutated)
    with pytest.raises(ValueError, match="0 times"):
        mutation.mutated("class F:\n    def f(a, b):\n        return a + b\n")
