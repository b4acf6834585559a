"""Room endpoints of 1.x (list, create, members, join, delete), the new leave, and 2.x's sync."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import request_user
from core.errors import NotFound
from core.parsers import body_object
from core.parsing import parse_id
from core.schema import AUTH_ERRORS, component, error_responses, path_id
from rooms.services import rooms
from rooms.services.membership import JOIN_TOO_FAST, room_join, room_leave, room_sync
from rooms.services.rooms import room_create, room_delete

from .models import Room
from .selectors import room_find, room_list, room_members_map, room_row
from .shapes import (
    JoinGrant,
    JoinRefused,
    RoomCreated,
    RoomCreateRequest,
    RoomDeleted,
    RoomLeft,
    RoomList,
    RoomMembers,
    RoomSynced,
)

ROOM_ID = path_id("room_id")
_NOT_FOUND = {400: ["Invalid room ID"], 404: ["Room not found"]}


def room_from_path(raw: str) -> Room:
    """The room a path id names: `Invalid room ID` (400) or `Room not found` (404) otherwise."""
    room = room_find(parse_id(raw, kind="room"))
    if room is None:
        raise NotFound("Room not found")
    return room


class RoomListApi(APIView):
    @extend_schema(
        summary="Every room, jails too, in binary name order (1.x)",
        responses={200: component(RoomList), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response(RoomList(rooms=[room_row(room) for room in room_list()]))

    @extend_schema(
        summary="Create a room (1.x)",
        request=component(RoomCreateRequest),
        responses={
            201: component(RoomCreated),
            **error_responses(
                {
                    400: [
                        "Room name is required",
                        "Room name must be 64 characters or less",
                        "Room name contains invalid characters",
                        "Maximum number of rooms reached",
                        rooms.TOO_MANY,
                    ],
                    **AUTH_ERRORS,
                    409: ["A room with that name already exists"],
                    429: [rooms.TOO_FAST],
                }
            ),
        },
    )
    def post(self, request: Request) -> Response:
        body = body_object(request)
        room = room_create(user=request_user(request), name=body.get("name"), type=body.get("type"))
        return Response(RoomCreated(room=room_row(room)), status=201)


class RoomMembersApi(APIView):
    @extend_schema(
        summary="Members of every room that has any (1.x)",
        responses={200: component(RoomMembers), **error_responses(AUTH_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return Response(RoomMembers(members=room_members_map()))

    @extend_schema(exclude=True)
    def delete(self, request: Request) -> Response:
        # 1.x routed DELETE /rooms/members to the delete handler, whose parseInt failed.
        room_from_path("members")
        raise AssertionError("unreachable: 'members' is not a room id")


class RoomDetailApi(APIView):
    @extend_schema(
        summary="Delete a room (its creator or staff)",
        description="Members are moved out first (user:room_leave each), then room:deleted is "
        "sent for the room and for each of its jail rooms, which go with it, naming who deleted "
        "it (`deletedBy`, an ActorRef 1.x clients ignore).",
        parameters=[ROOM_ID],
        responses={
            200: component(RoomDeleted),
            **error_responses(
                {
                    **_NOT_FOUND,
                    **AUTH_ERRORS,
                    403: ["Only the room creator can delete this room"],
                }
            ),
        },
    )
    def delete(self, request: Request, room_id: str) -> Response:
        room_delete(room=room_from_path(room_id), user=request_user(request))
        return Response(RoomDeleted(deleted=True))


class RoomJoinApi(APIView):
    @extend_schema(
        summary="Join a room: LiveKit token and E2EE key (1.x)",
        description="Moves the caller's membership here (user:room_leave for the old room, "
        "user:room_join for this one) and remembers it as their last room.",
        parameters=[ROOM_ID],
        request=None,
        responses={
            200: component(JoinGrant),
            403: component(JoinRefused),
            **error_responses(
                {
                    **_NOT_FOUND,
                    **AUTH_ERRORS,
                    429: [JOIN_TOO_FAST],
                    500: ["Failed to join room"],
                }
            ),
        },
    )
    def post(self, request: Request, room_id: str) -> Response:
        grant = room_join(room_id=parse_id(room_id, kind="room"), user=request_user(request))
        return Response(grant)


class RoomLeaveApi(APIView):
    @extend_schema(
        summary="Leave a room (new in 2.x)",
        description="Ends the caller's membership if they are in this room (user:room_leave); "
        "`left` says whether they were.",
        parameters=[ROOM_ID],
        request=None,
        responses={
            200: component(RoomLeft),
            **error_responses({**_NOT_FOUND, **AUTH_ERRORS}),
        },
    )
    def post(self, request: Request, room_id: str) -> Response:
        left = room_leave(user=request_user(request), room=room_from_path(room_id))
        return Response(RoomLeft(left=left is not None))


class RoomSyncApi(APIView):
    @extend_schema(
        summary="Re-assert membership after the event stream reconnects (2.x)",
        description="For a client whose call is still connected: puts the caller back in the "
        "room without a new LiveKit token, leaving their last room as it is. If their room "
        "changes: user:room_leave for the old one, user:room_join, and in whispers mode "
        'whispers:chain_updated with reason "user_synced". Otherwise nothing is sent.',
        parameters=[ROOM_ID],
        request=None,
        responses={
            200: component(RoomSynced),
            **error_responses(
                {
                    **_NOT_FOUND,
                    **AUTH_ERRORS,
                    403: ["You are currently punished from this room"],
                }
            ),
        },
    )
    def post(self, request: Request, room_id: str) -> Response:
        room_sync(room_id=parse_id(room_id, kind="room"), user=request_user(request))
        return Response(RoomSynced(synced=True))
