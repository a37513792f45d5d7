"""Rule violations raised by backend operations; handlers turn them into business errors."""

from __future__ import annotations

Problem = tuple[str, str | None]  # (description naming the offending value, description2)


class RuleViolation(Exception):
    """One or more broken business rules, each a (description, description2) pair."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p[0] for p in problems))
