"""axe-core, from our own node_modules, run in the page: the serious and critical findings."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

_RUN = """async (scope) => {
  const result = await axe.run(scope ?? document, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


def serious_violations(page: Page, scope: str | None = None) -> list[dict[str, object]]:
    """What axe finds serious or critical in the page, or in the element `scope` selects."""
    page.add_script_tag(path=str(AXE))
    results: list[dict[str, object]] = page.evaluate(_RUN, scope)
    return [v for v in results if v["impact"] in ("serious", "critical")]
