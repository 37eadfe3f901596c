"""The release notebook as handed out, nothing filled in."""

EXPECTED = {"blank": True}
