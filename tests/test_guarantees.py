"""The guarantee catalogue holds: every paragraph of the promising sections of the README and the
documents in docs/ is in it, every promise has tests that exist, every mutation applies to exactly
one place, and CI runs exactly the README's test command."""

from __future__ import annotations

import ast
import re

import pytest

from tests.guarantees import ROOT, SECTIONS, Mutation, collapsed, defines_test, load, promising_paragraphs, texts

README = (ROOT / "README.md").read_text()


def test_every_promise_of_the_readme_and_docs_has_a_test_and_every_phrase_is_in_them() -> None:
    catalogue = load()
    written = texts()
    everything = collapsed("\n".join(written.values()))
    phrases = [collapsed(g.readme) for g in catalogue.guarantees] + [collapsed(n) for n in catalogue.not_promises]
    assert [phrase for phrase in phrases if phrase not in everything] == []
    paragraphs = [p for name, text in written.items() for p in promising_paragraphs(text, SECTIONS[name])]
    uncovered = [p[:120] for p in paragraphs if not any(phrase in p for phrase in phrases)]
    assert uncovered == [], "paragraphs that the catalogue (tests/guarantees.toml) does not list"
    assert len(paragraphs) > 40
    for name, text in written.items():  # every covered section is there
        titles = {line[3:].strip() for line in text.splitlines() if line.startswith("## ")}
        assert set(SECTIONS[name]) <= titles, name
    assert [g.id for g in catalogue.guarantees if not g.tests] == []


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
