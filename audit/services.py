"""Writing the audit log: called by the services that moderate, inside their transaction."""

from __future__ import annotations

from accounts.models import User

from .models import AuditEntry

Kind = AuditEntry.Kind


def audit_record(
    *,
    kind: AuditEntry.Kind,
    actor: User | None = None,
    target: User | None = None,
    room_id: int | None = None,
    room_name: str = "",
    detail: str = "",
    override: bool = False,
) -> AuditEntry:
    """Adds one entry to the moderation audit log (no actor: the server did it, e.g. a vote's
    deadline). Written in the caller's transaction, so it stands or falls with the action.
    (Rooms sit above this app: a room is given by its id and name.)"""
    return AuditEntry.objects.create(
        kind=kind,
        override=override,
        actor=actor,
        actor_name=actor.username if actor is not None else "",
        target=target,
        target_name=target.username if target is not None else "",
        room_id=room_id,
        room_name=room_name,
        detail=detail[:200],
    )
