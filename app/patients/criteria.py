"""The protocol's eligibility criteria, kept as versioned configuration (criteria.json), and judging answers to them.

An inclusion criterion is answered ``met`` or ``not_met`` (``not_applicable`` where the configuration allows it);
an exclusion criterion ``absent`` or ``present``. Each answer carries its evidence (where it is documented). A
criterion with ``computed: age`` is not answered: the age at inclusion is computed from the birth year.
"""

import json
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from app.core.errors import InvalidInput

CRITERIA_FILE = Path(__file__).with_name("criteria.json")
INCLUSION_ANSWERS, EXCLUSION_ANSWERS = ("met", "not_met", "not_applicable"), ("absent", "present")


@cache
def current() -> dict:
    """The configured criteria: {"version": ..., "criteria": [...]}."""
    return json.loads(CRITERIA_FILE.read_text())


def answered_criteria() -> list[dict]:
    return [c for c in current()["criteria"] if "computed" not in c]


def _allowed(criterion: dict) -> tuple[str, ...]:
    if criterion["kind"] == "exclusion":
        return EXCLUSION_ANSWERS
    return INCLUSION_ANSWERS if criterion.get("not_applicable") else INCLUSION_ANSWERS[:2]


def check_answers(answers: dict) -> dict:
    """Every answered criterion has one allowed answer with its evidence; nothing else is given (else 422)."""
    errors = {}
    known = {c["id"]: c for c in answered_criteria()}
    for key in set(answers) - set(known):
        errors[key] = ["not a criterion of " + current()["version"]]
    for key, criterion in known.items():
        answer = answers.get(key)
        if not isinstance(answer, dict):
            errors[key] = ["missing: give answer and evidence"]
            continue
        if answer.get("answer") not in _allowed(criterion):
            errors[key] = [f"answer is one of {', '.join(_allowed(criterion))}"]
        evidence = answer.get("evidence")
        if not isinstance(evidence, str) or len(evidence.strip()) < 3 or len(evidence) > 500:
            errors.setdefault(key, []).append("evidence: 3 to 500 characters saying where it is documented")
    if errors:
        raise InvalidInput(_("the eligibility checklist is incomplete or wrong"), errors)
    return {key: {"answer": answers[key]["answer"], "evidence": answers[key]["evidence"].strip()} for key in known}


def unmet(answers: dict, age: int) -> list[str]:
    """Every criterion the answers (and the computed age) fail, in words."""
    problems = []
    for criterion in current()["criteria"]:
        if criterion.get("computed") == "age":
            if not criterion["minimum"] <= age <= criterion["maximum"]:
                problems.append(f"inclusion not met: {criterion['text']} (age {age})")
            continue
        answer = answers[criterion["id"]]["answer"]
        if answer == "not_met":
            problems.append(f"inclusion not met: {criterion['text']}")
        elif answer == "present":
            problems.append(f"exclusion present: {criterion['text']}")
    return problems
