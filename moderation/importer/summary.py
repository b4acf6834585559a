"""What an import did (or, on a dry run, would do), row kind by row kind, in plain lines."""

from __future__ import annotations

from dataclasses import dataclass, field

# A row's outcome; a later step may raise it (a user imported, then given a last room, is
# still "imported"; an unchanged user whose last room changes becomes "updated").
RANK = {"unchanged": 0, "updated": 1, "imported": 2}
KINDS = ("users", "rooms", "punishments")


@dataclass
class Summary:
    source: str
    dry_run: bool = False
    outcomes: dict[tuple[str, int], str] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    active_punishments: int = 0
    left_behind: list[str] = field(default_factory=list)
    sequences_reset: bool = False

    def record(self, kind: str, key: int, outcome: str) -> None:
        """Notes a row's outcome, keeping the strongest one if it is recorded twice."""
        previous = self.outcomes.get((kind, key))
        if previous is None or RANK[outcome] > RANK[previous]:
            self.outcomes[(kind, key)] = outcome

    def skip(self, kind: str, why: str) -> None:
        """Notes a row left out, and why."""
        self.skipped[kind] = self.skipped.get(kind, 0) + 1
        self.notes.append(f"{why}: not imported")

    def note(self, text: str) -> None:
        self.notes.append(text)

    def count(self, kind: str, outcome: str) -> int:
        return sum(1 for (k, _), o in self.outcomes.items() if k == kind and o == outcome)

    @property
    def changes(self) -> int:
        """Rows written (or that a dry run would write)."""
        return sum(1 for outcome in self.outcomes.values() if outcome != "unchanged")

    def lines(self) -> list[str]:
        """The summary as printed by `manage.py import_1x`."""
        out = [f"{'Dry run of the import' if self.dry_run else 'Imported'} from {self.source}:"]
        for kind in KINDS:
            out.append(f"  {kind}: {self._counts(kind)}")
        if self.left_behind:
            out.append(f"  left behind: {'; '.join(self.left_behind)}")
        if self.notes:
            out.append("Rows that needed a decision:")
            out.extend(f"  - {note}" for note in self.notes)
        if self.sequences_reset:
            out.append("PostgreSQL id sequences now continue after the highest imported ids.")
        out.append(self._verdict())
        return out

    def _counts(self, kind: str) -> str:
        counts = (
            f"{self.count(kind, 'imported')} imported, {self.count(kind, 'updated')} updated, "
            f"{self.count(kind, 'unchanged')} already here, {self.skipped.get(kind, 0)} left out"
        )
        if kind == "punishments":
            total = sum(1 for k, _ in self.outcomes if k == kind)
            counts += (
                f"; {self.active_punishments} in force, {total - self.active_punishments} history"
            )
        return counts

    def _verdict(self) -> str:
        if self.dry_run:
            return f"Dry run: nothing was written ({self.changes} rows would be)."
        if not self.changes:
            return "Nothing to do: everything in it is already here, as it is there."
        return f"Done: {self.changes} rows written."
