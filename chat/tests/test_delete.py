"""Deleting a chat line: who may (author, room creator, staff), `chat:deleted` to the room, the
image gone with it, and the admin's browse, search and delete."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chat.models import ChatMessage
from realtime.events import ChatMessageDeleted
from realtime.publish import Users

pytestmark = pytest.mark.django_db(transaction=True)

NOT_YOURS = "Only the author, the room's creator or staff can delete this message"


@pytest.fixture
def bobs_line(seated, bob) -> ChatMessage:
    return ChatMessage.objects.create(room=seated, author=bob, text="regrettable")


def delete(client, message_id):
    return client.delete(f"/api/chat/messages/{message_id}")


@pytest.mark.parametrize("who", ["bob", "alice", "staff"])
def test_the_author_the_rooms_creator_and_staff_may_delete(
    api_as, published, bobs_line, seated, alice, bob, carol, dave, who
):
    if who == "staff":
        dave.is_staff = True
        dave.save()
    actor = {"bob": bob, "alice": alice, "staff": dave}[who]

    response = delete(api_as(actor), bobs_line.pk)

    assert (response.status_code, response.json()) == (200, {"deleted": True})
    bobs_line.refresh_from_db()
    assert bobs_line.deleted_at is not None and bobs_line.deleted_by == actor
    assert bobs_line.text == ""
    ((event, audience),) = published.of(ChatMessageDeleted)
    assert event.payload() == {"id": bobs_line.pk, "roomId": seated.pk}
    assert audience == Users((alice.pk, bob.pk, carol.pk))


def test_anyone_else_is_refused_and_nothing_changes(api_as, published, bobs_line, carol):
    response = delete(api_as(carol), bobs_line.pk)

    assert (response.status_code, response.json()) == (403, {"error": NOT_YOURS})
    bobs_line.refresh_from_db()
    assert bobs_line.deleted_at is None and bobs_line.text == "regrettable"
    assert published.of(ChatMessageDeleted) == []


def test_unknown_deleted_and_malformed_ids(api_as, bobs_line, bob):
    client = api_as(bob)
    assert delete(client, bobs_line.pk).status_code == 200

    again = delete(client, bobs_line.pk)
    missing = delete(client, 999999)
    malformed = delete(client, "abc")

    assert (again.status_code, again.json()) == (404, {"error": "Message not found"})
    assert (missing.status_code, missing.json()) == (404, {"error": "Message not found"})
    assert (malformed.status_code, malformed.json()) == (400, {"error": "Invalid message ID"})


def test_a_deleted_accounts_line_can_still_be_deleted_by_the_creator(api_as, bobs_line, alice, bob):
    bob.delete()

    assert delete(api_as(alice), bobs_line.pk).status_code == 200


def test_deleting_a_line_deletes_its_image_file(api_as, seated, bob, png, image_folder):
    client = api_as(bob)
    part = SimpleUploadedFile("a.png", png, content_type="image/png")
    image_id = client.post("/api/chat/image", {"image": part}, format="multipart").json()["imageId"]
    client.post("/api/chat/send", {"imageId": image_id, "text": "oops"}, format="json")
    assert len(list(image_folder.iterdir())) == 1

    delete(client, ChatMessage.objects.get().pk)

    assert list(image_folder.iterdir()) == []
    assert client.get(f"/api/chat/image/{image_id}").status_code == 404


def test_the_admin_browses_searches_and_deletes_through_the_service(
    published, bobs_line, seated, alice, dave
):
    ChatMessage.objects.create(room=seated, author=alice, text="an ordinary remark")
    dave.is_staff = dave.is_superuser = True
    dave.save()
    admin = Client()
    admin.force_login(dave)

    listing = admin.get("/admin/chat/chatmessage/")
    found = admin.get("/admin/chat/chatmessage/", {"q": "regret"})
    response = admin.post(
        "/admin/chat/chatmessage/",
        {"action": "delete_lines", "_selected_action": [bobs_line.pk]},
        follow=True,
    )

    assert listing.status_code == 200
    assert b"regrettable" in listing.content and b"an ordinary remark" in listing.content
    assert b"regrettable" in found.content and b"an ordinary remark" not in found.content
    assert b"Deleted 1 line(s)." in response.content
    bobs_line.refresh_from_db()
    assert bobs_line.deleted_by == dave
    assert [e.payload() for e, _ in published.of(ChatMessageDeleted)] == [
        {"id": bobs_line.pk, "roomId": seated.pk}
    ]


def test_the_admin_cannot_write_lines_itself(bobs_line, dave):
    dave.is_staff = dave.is_superuser = True
    dave.save()
    admin = Client()
    admin.force_login(dave)

    assert admin.get("/admin/chat/chatmessage/add/").status_code == 403
    assert admin.get(f"/admin/chat/chatmessage/{bobs_line.pk}/delete/").status_code == 403
