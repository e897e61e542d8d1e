"""Run schemathesis (all checks, every phase of `schemathesis run`) against the ASGI app."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Findings:
    """What a run found: failed checks (operation, check, title, message), errors, counts."""

    failures: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
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
        for checks in recorder.checks.values():
            for node in checks:
                if node.failure_info is not None:
                    failure = node.failure_info.failure
                    found.failures.append((recorder.label, node.name, failure.title,
                                           failure.message))
    return found
