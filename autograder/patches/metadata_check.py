"""nbgrader's cell-metadata check with its JSON schema compiled once per process.

nbgrader's ``CheckCellMetadata`` (which autograde runs twice per submission) validates each
cell's nbgrader metadata with ``jsonschema.validate``, and that checks the schema itself
against its draft's meta-schema on every call: a third of nbgrader's own CPU time per
submission here. :class:`CheckCellMetadataOnce` is nbgrader's step with nbgrader's validator,
whose one call to ``jsonschema.validate`` is served by :func:`validate` instead, as jsonschema's
documentation advises for many instances of one schema: the schema is checked the first time,
then its compiled validator is kept. The verdicts and errors are jsonschema's own.
"""

from __future__ import annotations

import json
import types
from functools import cache
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from nbformat import NotebookNode
from nbgrader.nbgraderformat import common
from nbgrader.preprocessors import CheckCellMetadata


@cache
def _compiled(schema_json: str) -> Validator:
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: dict) -> None:
    """``jsonschema.validate(instance, schema)``, the schema checked once: raises the same
    ``ValidationError`` (jsonschema's best match)."""
    error = best_match(_compiled(json.dumps(schema, sort_keys=True)).iter_errors(instance))
    if error is not None:
        raise error


class CheckCellMetadataOnce(CheckCellMetadata):
    """nbgrader's ``CheckCellMetadata``: the same checks and messages, the schema compiled once."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        """nbgrader's check, its schema validation through :func:`validate`."""
        nbgrader_jsonschema, common.jsonschema = common.jsonschema, types.SimpleNamespace(validate=validate)
        try:
            return super().preprocess(nb, resources)
        finally:
            common.jsonschema = nbgrader_jsonschema
