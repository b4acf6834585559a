"""POST /api/chat/send, case by case against 2.x: the strings, the order of the checks, the
limits, the rate limit across processes, and what `chat:message` carries to whom."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from chat.models import ChatImage, ChatMessage
from chat.ratelimit import chat_send_allowance, decide
from realtime.events import ChatActivity, ChatMessageSent
from realtime.publish import Everyone, Users
from rooms.services.membership import membership_end

pytestmark = pytest.mark.django_db(transaction=True)

EMPTY = "Message must contain text or an image"
TOO_LONG = "Message too long (max 200 characters)"
SLOW_DOWN = "Slow down — too many messages"
NO_ROOM = "You must be in a room to send messages"


def send(client, body):
    return client.post("/api/chat/send", body, format="json")


def test_a_line_reaches_the_room_as_2x_sends_it(api_as, published, seated, alice, bob, carol):
    response = send(api_as(bob), {"text": "  hello, lounge \n"})

    assert (response.status_code, response.json()) == (200, {"sent": True})
    message = ChatMessage.objects.get()
    ((event, audience),) = published.of(ChatMessageSent)
    payload = event.payload()
    assert payload == {
        "user": {"id": bob.pk, "username": "bob", "display_name": "Bob"},
        "text": "hello, lounge",
        "ts": int(message.created_at.timestamp() * 1000),
        "id": message.pk,
        "roomId": seated.pk,
    }
    # Absent fields are omitted, as 2.x's JSON.stringify left out `undefined`.
    assert "imageId" not in payload
    assert audience == Users((alice.pk, bob.pk, carol.pk))
    ((activity, everyone),) = published.of(ChatActivity)
    assert activity.payload() == {"roomId": seated.pk, "id": message.pk}
    assert everyone == Everyone()


def test_only_the_rooms_members_hear_it_in_whispers_mode_too(
    api_as, published, seated, alice, bob, carol, dave
):
    seated.mode = "whispers"
    seated.save()
    other = seated.__class__.objects.create(name="Elsewhere")
    from rooms.services.membership import membership_enter

    membership_enter(user=dave, room=other)
    published.clear()

    send(api_as(alice), {"text": "only for the lounge"})

    ((_, audience),) = published.of(ChatMessageSent)
    assert dave.pk not in audience.user_ids
    assert set(audience.user_ids) == {alice.pk, bob.pk, carol.pk}
    # Everyone else learns only that the lounge has a new line, not what or whose.
    ((activity, _),) = published.of(ChatActivity)
    assert set(activity.payload()) == {"roomId", "id"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": ""},
        {"text": "   \t\n"},
        {"text": "\u00a0\ufeff\u3000"},  # JavaScript's trim strips these too
        {"text": None},
        {"text": 42},
        {"text": ["hi"]},
        {"text": {"a": 1}},
        {"text": True},
        {"imageId": "not-a-uuid"},
        {"imageId": "8c1f0c8e-2f4a-4c55-9a44-0d8a9b1c2d3e"},  # well-formed, never uploaded
        {"imageId": 7},
        {"imageId": None, "text": " "},
    ],
)
def test_nothing_to_send_is_refused_with_2x_message(api_as, published, seated, bob, body):
    response = send(api_as(bob), body)

    assert (response.status_code, response.json()) == (400, {"error": EMPTY})
    assert ChatMessage.objects.count() == 0
    assert published.of(ChatMessageSent) == []


def test_a_malformed_or_non_object_body_is_refused_cleanly(api_as, seated, bob):
    client = api_as(bob)
    broken = client.post("/api/chat/send", "{not json", content_type="application/json")
    array = client.post("/api/chat/send", "[1,2]", content_type="application/json")

    assert (broken.status_code, broken.json()) == (400, {"error": "Malformed JSON body"})
    assert (array.status_code, array.json()) == (400, {"error": EMPTY})


def test_200_utf16_units_are_allowed_and_201_are_too_long(api_as, seated, bob, carol):
    exactly = "é" * 190 + "🙂" * 5  # 190 + 5 * 2 UTF-16 units = 200, as JavaScript counts
    over = "🙂" * 100 + "a"

    ok = send(api_as(bob), {"text": f"  {exactly}  "})
    refused = send(api_as(carol), {"text": over})

    assert ok.status_code == 200
    assert ChatMessage.objects.get().text == exactly
    assert (refused.status_code, refused.json()) == (400, {"error": TOO_LONG})


def test_text_is_trimmed_before_it_is_measured(api_as, seated, bob):
    response = send(api_as(bob), {"text": " " * 50 + "x" * 200 + " " * 50})

    assert response.status_code == 200


def test_nul_is_replaced_not_refused(api_as, seated, bob):
    # NUL arrives as a valid JSON escape; no database stores it, so it becomes U+FFFD.
    response = api_as(bob).post(
        "/api/chat/send", '{"text":"a\\u0000b"}', content_type="application/json"
    )

    assert response.status_code == 200
    assert ChatMessage.objects.get().text == "a\ufffdb"


def test_a_lone_surrogate_is_a_malformed_body_and_nothing_is_kept(api_as, seated, bob):
    # A lone surrogate (\ud83d) is no Unicode text: the JSON parser refuses it for every route.
    response = api_as(bob).post(
        "/api/chat/send", '{"text":"a\\ud83dc"}', content_type="application/json"
    )

    assert (response.status_code, response.json()) == (400, {"error": "Malformed JSON body"})
    assert not ChatMessage.objects.exists()


def test_no_room_is_refused_last_and_the_send_still_counts(api_as, published, dave):
    client = api_as(dave)

    first = send(client, {"text": "anyone?"})
    second = send(client, {"text": "anyone?"})

    assert (first.status_code, first.json()) == (400, {"error": NO_ROOM})
    # 2.x counted it before looking for a room.
    assert (second.status_code, second.json()) == (429, {"error": SLOW_DOWN})
    assert published.of(ChatMessageSent) == []


def test_emptiness_is_checked_before_length_rate_and_room(api_as, sends_ago, dave):
    sends_ago(dave, 100)  # rate-limited, and dave is in no room

    response = send(api_as(dave), {"text": "  "})

    assert (response.status_code, response.json()) == (400, {"error": EMPTY})


def test_length_is_checked_before_rate_and_room(api_as, sends_ago, dave):
    sends_ago(dave, 100)

    response = send(api_as(dave), {"text": "x" * 201})

    assert (response.status_code, response.json()) == (400, {"error": TOO_LONG})


def test_rate_is_checked_before_room(api_as, sends_ago, dave):
    sends_ago(dave, 100)

    response = send(api_as(dave), {"text": "hi"})

    assert (response.status_code, response.json()) == (429, {"error": SLOW_DOWN})
    assert 1 <= int(response["Retry-After"]) <= 1


def test_one_a_second(api_as, sends_ago, seated, bob, carol):
    sends_ago(bob, 400)  # bob's last accepted send was 0.4 s ago
    sends_ago(carol, 1500)  # carol's 1.5 s ago

    assert send(api_as(bob), {"text": "too soon"}).status_code == 429
    assert send(api_as(carol), {"text": "fine"}).status_code == 200


def test_five_in_ten_seconds(api_as, sends_ago, seated, bob, carol):
    sends_ago(bob, 9000, 7000, 5000, 3000, 1500)  # five within the last 10 s, none within 1 s
    sends_ago(carol, 11000, 7000, 5000, 3000, 1500)  # the oldest has left the window

    refused = send(api_as(bob), {"text": "sixth"})
    allowed = send(api_as(carol), {"text": "fifth"})

    assert (refused.status_code, refused.json()) == (429, {"error": SLOW_DOWN})
    # The oldest of the five leaves the window in about a second.
    assert int(refused["Retry-After"]) == 1
    assert allowed.status_code == 200


def test_refused_sends_do_not_count(api_as, sends_ago, forget_sends, seated, bob):
    sends_ago(bob, 9000, 7000, 5000, 3000, 1500)
    for _ in range(3):
        assert send(api_as(bob), {"text": "again"}).status_code == 429
    forget_sends(bob)
    sends_ago(bob, 9000, 7000, 5000, 1500)  # four accepted, none of the refused ones

    assert send(api_as(bob), {"text": "fifth"}).status_code == 200


def test_the_limit_is_shared_by_every_process(seated, bob):
    # Two cache connections, as two app processes have, on the one Redis.
    one, other = caches.create_connection("default"), caches.create_connection("default")

    first = chat_send_allowance(user_id=bob.pk, store=one)
    second = chat_send_allowance(user_id=bob.pk, store=other)

    assert first.allowed
    assert not second.allowed
    assert 0 < second.retry_after_ms <= 1000


def test_without_redis_one_process_counts_the_same_way(bob):
    from django.core.cache.backends.locmem import LocMemCache

    store = LocMemCache("chat-test", {})

    assert chat_send_allowance(user_id=bob.pk, store=store).allowed
    assert not chat_send_allowance(user_id=bob.pk, store=store).allowed


@pytest.mark.parametrize(
    ("sends", "now", "wait"),
    [
        ([], 50_000, 0),
        ([49_500], 50_000, 500),
        ([49_000], 50_000, 0),
        ([41_000, 43_000, 45_000, 47_000], 50_000, 0),
        ([41_000, 43_000, 45_000, 47_000, 48_000], 50_000, 1_000),
        ([40_001, 43_000, 45_000, 47_000, 48_000], 50_000, 1),
    ],
)
def test_the_rule_itself(sends, now, wait):
    assert decide(sends, now) == wait


def test_an_image_uploaded_within_60_s_is_sent_alone_or_with_text(
    api_as, published, seated, bob, carol, png
):
    client = api_as(bob)
    upload = client.post("/api/chat/image", {"image": _file(png)}, format="multipart")
    image_id = upload.json()["imageId"]

    response = send(client, {"imageId": image_id})

    assert response.status_code == 200
    ((event, _),) = published.of(ChatMessageSent)
    assert event.payload()["imageId"] == image_id
    assert "text" not in event.payload()
    assert ChatMessage.objects.get().image_id is not None


def test_an_image_is_attachable_only_by_its_uploader_and_only_for_60_s(
    api_as, seated, bob, carol, png
):
    image_id = api_as(bob).post("/api/chat/image", {"image": _file(png)}, format="multipart")
    image_id = image_id.json()["imageId"]

    theirs = send(api_as(carol), {"imageId": image_id})
    ChatImage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    stale = send(api_as(bob), {"imageId": image_id})

    assert (theirs.status_code, theirs.json()) == (400, {"error": EMPTY})
    assert (stale.status_code, stale.json()) == (400, {"error": EMPTY})


def test_text_with_an_unknown_image_goes_as_text_alone(api_as, published, seated, bob):
    response = send(
        api_as(bob), {"text": "look", "imageId": "8c1f0c8e-2f4a-4c55-9a44-0d8a9b1c2d3e"}
    )

    assert response.status_code == 200
    ((event, _),) = published.of(ChatMessageSent)
    assert "imageId" not in event.payload()


def test_a_jailed_user_chats_only_in_the_jail(api_as, published, seated, alice, bob, carol):
    from moderation.services.punishments import jail_room_for

    jail = jail_room_for(seated)
    from rooms.services.membership import membership_enter

    membership_enter(user=carol, room=jail)
    published.clear()

    response = send(api_as(carol), {"text": "let me out"})

    assert response.status_code == 200
    ((event, audience),) = published.of(ChatMessageSent)
    assert event.roomId == jail.pk
    assert audience == Users((carol.pk,))
    assert alice.pk not in audience.user_ids and bob.pk not in audience.user_ids


def test_leaving_the_room_stops_the_sending(api_as, seated, bob):
    membership_end(user=bob)

    response = send(api_as(bob), {"text": "still here?"})

    assert (response.status_code, response.json()) == (400, {"error": NO_ROOM})


def test_sending_needs_a_login(client, seated):
    response = client.post("/api/chat/send", {"text": "hi"}, content_type="application/json")

    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing authorization token"},
    )


def _file(data: bytes, name: str = "paste.png", content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
