"""Chat over the real ASGI application: a member's WebSocket receives the line and its deletion,
someone in another room only hears that the room has a new line."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from chat.models import ChatMessage
from chat.services.messages import message_delete, message_send
from presence.tests.conftest import drain, open_ws, receive_event
from rooms.models import Room
from rooms.services.membership import membership_enter

pytestmark = pytest.mark.django_db(transaction=True)


async def test_members_get_the_line_and_its_deletion_outsiders_only_activity(seated, bob, dave):
    other = await sync_to_async(Room.objects.create)(name="Elsewhere")
    await sync_to_async(membership_enter)(user=dave, room=other)
    member, _ = await open_ws(bob)
    outsider, _ = await open_ws(dave)
    await drain(member)
    await drain(outsider)

    message = await sync_to_async(message_send)(user=bob, text="hello room", image_id=None)
    line = await receive_event(member, "chat:message")
    activity = await receive_event(outsider, "chat:activity")
    await drain(member)
    await sync_to_async(message_delete)(message_id=message.pk, actor=bob)
    deleted = await receive_event(member, "chat:deleted")

    assert line["text"] == "hello room" and line["user"]["username"] == "bob"
    assert line["roomId"] == seated.pk and line["id"] == message.pk
    assert activity == {"roomId": seated.pk, "id": message.pk}
    assert deleted == {"id": message.pk, "roomId": seated.pk}
    # Nothing of the text or its deletion reached the outsider.
    assert await outsider.receive_nothing(timeout=0.3)
    assert await sync_to_async(ChatMessage.objects.count)() == 1
    await member.disconnect()
    await outsider.disconnect()
