"""GET /api/rooms/{id}/messages: a room's lines, newest first, page by page from an index, for
its members only; and how lines of deleted accounts, deleted lines and expired images show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import ChatImage, ChatMessage
from chat.selectors import history_query
from moderation.services.punishments import jail_room_for
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db


def lines(room: Room, author, count: int, *, start: int = 0) -> list[ChatMessage]:
    now = timezone.now()
    return ChatMessage.objects.bulk_create(
        [
            ChatMessage(
                room=room,
                author=author,
                text=f"line {start + i}",
                created_at=now - timedelta(seconds=count - i),
            )
            for i in range(count)
        ]
    )


def history(client, room_id, **query):
    return client.get(f"/api/rooms/{room_id}/messages", query)


def test_the_newest_50_come_first_with_a_cursor_to_the_rest(api_as, seated, alice, bob):
    made = lines(seated, alice, 120)

    first = history(api_as(bob), seated.pk).json()
    second = history(api_as(bob), seated.pk, before=first["nextBefore"]).json()
    third = history(api_as(bob), seated.pk, before=second["nextBefore"]).json()

    texts = [m["text"] for page in (first, second, third) for m in page["messages"]]
    assert texts == [f"line {i}" for i in range(119, -1, -1)]
    assert [len(p["messages"]) for p in (first, second, third)] == [50, 50, 20]
    assert first["nextBefore"] == made[70].pk
    assert third["nextBefore"] is None


def test_a_line_has_the_chat_message_shape(api_as, seated, alice, bob):
    (made,) = lines(seated, alice, 1)

    (line,) = history(api_as(bob), seated.pk).json()["messages"]

    assert line == {
        "id": made.pk,
        "roomId": seated.pk,
        "user": {"id": alice.pk, "username": "alice", "display_name": "Alice"},
        "text": "line 0",
        "ts": int(made.created_at.timestamp() * 1000),
    }


def test_limit_picks_the_page_size(api_as, seated, alice, bob):
    lines(seated, alice, 5)

    page = history(api_as(bob), seated.pk, limit=2).json()

    assert [m["text"] for m in page["messages"]] == ["line 4", "line 3"]


def test_only_this_rooms_lines_are_listed(api_as, seated, alice, bob):
    elsewhere = Room.objects.create(name="Elsewhere")
    lines(elsewhere, alice, 3)
    lines(seated, alice, 2)

    page = history(api_as(bob), seated.pk).json()

    assert {m["roomId"] for m in page["messages"]} == {seated.pk}
    assert len(page["messages"]) == 2


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"before": "abc"}, "before must be a message ID"),
        ({"before": "0"}, "before must be a message ID"),
        ({"before": "-5"}, "before must be a message ID"),
        ({"before": "1.5"}, "before must be a message ID"),
        ({"before": ""}, "before must be a message ID"),
        ({"limit": "0"}, "limit must be a whole number from 1 to 100"),
        ({"limit": "101"}, "limit must be a whole number from 1 to 100"),
        ({"limit": "ten"}, "limit must be a whole number from 1 to 100"),
        ({"limit": "9" * 40}, "limit must be a whole number from 1 to 100"),
    ],
)
def test_bad_paging_is_refused(api_as, seated, bob, query, error):
    response = history(api_as(bob), seated.pk, **query)

    assert (response.status_code, response.json()) == (400, {"error": error})


def test_a_before_past_every_id_is_simply_the_newest(api_as, seated, alice, bob):
    lines(seated, alice, 2)

    page = history(api_as(bob), seated.pk, before="9" * 25).json()

    assert len(page["messages"]) == 2


def test_rooms_that_are_not_or_cannot_be(api_as, bob):
    invalid = history(api_as(bob), "abc")
    missing = history(api_as(bob), 99999)

    assert (invalid.status_code, invalid.json()) == (400, {"error": "Invalid room ID"})
    assert (missing.status_code, missing.json()) == (404, {"error": "Room not found"})


def test_only_members_read_a_rooms_history(api_as, seated, alice, dave, mallory):
    lines(seated, alice, 3)
    other = Room.objects.create(name="Other")
    membership_enter(user=dave, room=other)

    for outsider in (dave, mallory):  # in another room, in none
        response = history(api_as(outsider), seated.pk)
        assert (response.status_code, response.json()) == (
            403,
            {"error": "You must be in this room to read its messages"},
        )


def test_staff_read_through_the_admin_not_as_outsiders(api_as, seated, alice, dave):
    dave.is_staff = True
    dave.save()

    assert history(api_as(dave), seated.pk).status_code == 403


def test_a_jailed_user_reads_the_jail_not_the_room_they_were_jailed_from(
    api_as, seated, alice, carol
):
    lines(seated, alice, 2)
    jail = jail_room_for(seated)
    membership_enter(user=carol, room=jail)
    lines(jail, carol, 1, start=10)

    source = history(api_as(carol), seated.pk)
    own = history(api_as(carol), jail.pk)

    assert source.status_code == 403
    assert [m["text"] for m in own.json()["messages"]] == ["line 10"]


def test_a_deleted_accounts_lines_stay_with_no_user(api_as, seated, bob, dave):
    membership_enter(user=dave, room=seated)
    lines(seated, dave, 1)
    dave.delete()

    (line,) = history(api_as(bob), seated.pk).json()["messages"]

    assert line["user"] is None
    assert line["text"] == "line 0"


def test_deleted_lines_are_not_listed(api_as, seated, alice, bob):
    first, second = lines(seated, alice, 2)
    ChatMessage.objects.filter(pk=first.pk).update(deleted_at=timezone.now(), text="")

    page = history(api_as(bob), seated.pk).json()

    assert [m["id"] for m in page["messages"]] == [second.pk]


def test_a_line_whose_image_expired_says_so(api_as, seated, alice, bob):
    image = ChatImage.objects.create(
        uploader=alice, file_name="x.png", content_type="image/png", size=1, width=1, height=1
    )
    ChatMessage.objects.create(room=seated, author=alice, image=image, had_image=True)
    page = history(api_as(bob), seated.pk).json()
    assert page["messages"][0]["imageId"] == str(image.pk)

    image.delete()
    (line,) = history(api_as(bob), seated.pk).json()["messages"]

    assert line["imageExpired"] is True
    assert "imageId" not in line and "text" not in line


def test_history_needs_a_login(client, seated):
    assert client.get(f"/api/rooms/{seated.pk}/messages").status_code == 401


def test_pages_come_from_the_index_on_sqlite(seated, alice):
    lines(seated, alice, 200)

    newest = history_query(room_id=seated.pk, before=None, limit=51).explain()
    older = history_query(room_id=seated.pk, before=100, limit=51).explain()

    for plan in (newest, older):
        assert "chat_message_room_live" in plan, plan
        assert "SCAN chat_chatmessage" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort: the index is the order
    # The cursor is a seek into the room's part of the index, not a filter after it.
    assert "chat_message_room_live (room_id=? AND id<?)" in older, older
