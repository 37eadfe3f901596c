"""Real ``nbgrader autograde`` with a real kernel on submissions built from release/.

Every sample must get exactly its expected score on every autograded cell, and the
feedback of a mistaken one must name its mistake.
"""

from __future__ import annotations

import pytest

from autograder import parts, samples
from autograder.grade import GradingRun
from tests.conftest import GRADED_SAMPLES

FULL = {cell.grade_id: float(cell.points) for cell in parts.AUTOGRADED}


def expected_scores(sample: samples.Sample) -> dict[str, float]:
    if sample.blank:
        return dict.fromkeys(FULL, 0.0)
    return {**FULL, **sample.scores}


@pytest.mark.parametrize("sample", GRADED_SAMPLES, ids=lambda sample: sample.student)
def test_each_sample_gets_exactly_its_expected_scores(graded_class: GradingRun, sample: samples.Sample) -> None:
    result = graded_class.scores[sample.student]
    assert result.error is None
    assert result.by_cell == expected_scores(sample)


def test_mistakes_cost_only_their_own_part() -> None:
    """The catalogue's expectations: a mistake loses points in its own part (and f, which uses everything)."""
    for sample in samples.MISTAKEN:
        changed = {parts.part_of(grade_id) for grade_id in sample.answers}
        lost = {parts.part_of(grade_id) for grade_id, score in sample.scores.items() if score < FULL[grade_id]}
        assert len(changed) == 1 and lost and lost <= changed | {"t12_2f"}, sample.student


@pytest.mark.parametrize("sample", [s for s in samples.MISTAKEN if s.mistake], ids=lambda sample: sample.student)
def test_feedback_names_the_mistake(graded_class: GradingRun, sample: samples.Sample) -> None:
    feedback = (graded_class.feedback_dir / sample.student / "sheet12" / "sheet12.html").read_text()
    assert f"[{sample.mistake}]" in feedback


def test_blank_feedback_says_what_is_not_implemented(graded_class: GradingRun) -> None:
    feedback = (graded_class.feedback_dir / "blank" / "sheet12" / "sheet12.html").read_text()
    assert "backward is not implemented yet" in feedback
