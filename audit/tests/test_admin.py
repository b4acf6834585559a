"""The audit log in the admin, as a superuser sees it: every entry, filterable by kind, actor,
room and date, and nothing in it can be added, changed or deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Kind, audit_record

pytestmark = pytest.mark.django_db

PAGE = "/admin/audit/auditentry/"


@pytest.fixture
def root(make_user):
    user = make_user("root", "Root")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def staff(root) -> Client:
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def entries(alice, bob, mallory, root):
    long_ago = timezone.now() - timedelta(days=40)
    return [
        audit_record(
            kind=Kind.VOTE_STARTED, actor=bob, target=mallory, room_id=None, room_name="Lounge"
        ),
        audit_record(kind=Kind.JAILED, target=mallory, room_name="Lounge", detail="For 5 minutes"),
        audit_record(kind=Kind.WHISPERS_RESET, actor=root, room_name="Games", override=True),
        AuditEntry.objects.create(
            kind=Kind.ROOM_DELETED, actor_name="alice", room_name="Old", at=long_ago
        ),
    ]


def rows(response) -> list[str]:
    assert response.status_code == 200
    return [str(entry) for entry in response.context["cl"].result_list]


def test_the_log_lists_every_entry_newest_first(staff, entries):
    page = staff.get(PAGE)

    assert rows(page) == [
        "Whispers reset by root",
        "Jailed by the server",
        "Vote started by bob",
        "Room deleted by alice",
    ]
    html = page.content.decode()
    assert "For 5 minutes" in html and "Audit log" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind__exact": "jailed"}, ["Jailed by the server"]),
        ({"actor_name": "bob"}, ["Vote started by bob"]),
        ({"actor_name": "-"}, ["Jailed by the server"]),
        ({"room_name": "Lounge"}, ["Jailed by the server", "Vote started by bob"]),
        ({"override__exact": "1"}, ["Whispers reset by root"]),
        ({"q": "mallory"}, ["Jailed by the server", "Vote started by bob"]),
    ],
)
def test_the_log_filters(staff, entries, query, expected):
    assert rows(staff.get(PAGE, query)) == expected


def test_the_log_filters_by_date(staff, entries):
    old = entries[-1].at
    by_day = {"at__year": old.year, "at__month": old.month, "at__day": old.day}
    assert rows(staff.get(PAGE, by_day)) == ["Room deleted by alice"]


def test_the_log_is_read_only(staff, entries):
    entry = entries[0]

    assert staff.get(f"{PAGE}add/").status_code == 403
    assert staff.get(f"{PAGE}{entry.pk}/delete/").status_code == 403
    assert staff.get(f"{PAGE}{entry.pk}/change/").status_code == 200
    staff.post(f"{PAGE}{entry.pk}/change/", {"kind": "jailed", "detail": "edited"})
    deleting = staff.post(PAGE, {"action": "delete_selected", "_selected_action": [entry.pk]})

    entry.refresh_from_db()
    assert (entry.kind, entry.detail) == ("vote_started", "")
    assert deleting.status_code == 200 and AuditEntry.objects.count() == 4
