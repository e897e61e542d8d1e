"""Run schemathesis (all checks, every phase of `schemathesis run`) against the ASGI app."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Refusal:
    """A schema-valid request the API refused (positive_data_acceptance): its operation,
    status and the error message it answered (JSON detail, or the text of an error page)."""

    operation: str
    status: int
    error: str  # the JSON `error` (InvalidInput …); "" for FastAPI's 422 list and pages
    message: str


@dataclass
class Findings:
    """What a run found: failed checks (operation, check, title, message), errors, counts."""

    failures: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    server_errors: int = 0
    responses: int = 0

    def mismatches(self, tolerated: tuple[str, ...] = ()) -> list[tuple[str, str, str, str]]:
        """The failures of every check except the tolerated ones."""
        return [f for f in self.failures if f[1] not in tolerated]

    def report(self, limit: int = 40) -> str:
        """A short text naming each distinct failure once."""
        distinct = sorted({(op, check, title, msg.splitlines()[0][:160] if msg else "")
                           for op, check, title, msg in self.failures})
        lines = [f"{op} [{check}] {title}: {msg}" for op, check, title, msg in distinct]
        return "\n".join(lines[:limit] + self.errors[:10])


def run_schemathesis(app: Any, headers: dict[str, str] | None = None, max_examples: int = 10,
                     seed: int = 11, phases: list[str] | None = None) -> Findings:
    """`schemathesis run --checks all --max-examples N` against APP, collected."""
    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    config = SchemathesisConfig(seed=seed)
    project = config.projects.override
    project.checks.update(included_check_names=["all"])
    project.generation.update(max_examples=max_examples, database="none")
    if phases is not None:
        project.phases.update(phases=phases)
    if headers:
        project.update(headers=headers)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    found = Findings()
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError | events.FatalError):
            found.errors.append(f"{getattr(event, 'label', '')}: {event}")
        recorder = getattr(event, "recorder", None)
        if recorder is None or not isinstance(event, events.ScenarioFinished
                                              | events.FuzzScenarioFinished):
            continue
        for interaction in recorder.interactions.values():
            if interaction.response is not None:
                found.responses += 1
                found.server_errors += interaction.response.status_code >= 500
        for case_id, checks in recorder.checks.items():
            node_case = recorder.cases.get(case_id)
            label = node_case.value.operation.label if node_case else recorder.label
            for node in checks:
                if node.failure_info is None:
                    continue
                failure = node.failure_info.failure
                found.failures.append((label, node.name, failure.title, failure.message))
                interaction = recorder.interactions.get(case_id)
                if node.name == "positive_data_acceptance" and interaction is not None \
                        and interaction.response is not None:
                    found.refusals.append(Refusal(label, interaction.response.status_code,
                                                  *_message(interaction.response.content)))
    return found


def _message(body: bytes) -> tuple[str, str]:
    """The error name and message of an answer: JSON `error` and `detail` (or the first
    `msg` of FastAPI's list), an OGC exception's `code` and `description`, else the text of
    the error page's message paragraph."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        found = re.search(r'<p class="kc-msg"[^>]*>(.*?)</p>', text, re.S)
        return "", html.unescape(found.group(1)).strip() if found else text[:200]
    if not isinstance(data, dict):
        return "", text[:200]
    if "code" in data and "description" in data:  # an OGC API exception
        return str(data["code"]), str(data["description"])
    detail = data.get("detail")
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return "", str(detail[0].get("msg", ""))
    return str(data.get("error", "")), str(detail)
