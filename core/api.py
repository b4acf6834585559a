"""Process-level endpoints of 1.x: health, ping and server info. No authentication."""

from __future__ import annotations

import time

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class _Public(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)


class HealthApi(_Public):
    @extend_schema(
        summary="Liveness probe",
        responses={200: inline_serializer("Health", {"status": serializers.CharField()})},
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class PingApi(_Public):
    @extend_schema(
        summary="Server clock, in epoch milliseconds",
        responses={200: inline_serializer("Ping", {"t": serializers.IntegerField()})},
    )
    def get(self, request: Request) -> Response:
        return Response({"t": int(time.time() * 1000)})


class ServerInfoApi(_Public):
    @extend_schema(
        summary="Where the server is (SERVER_CITY), or null",
        responses={
            200: inline_serializer("ServerInfo", {"city": serializers.CharField(allow_null=True)})
        },
    )
    def get(self, request: Request) -> Response:
        return Response({"city": settings.SERVER_CITY})
