"""Liveness and health, as the original API answered them (the client's `status` helpers use them)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class StatusView(APIView):
    """200 whenever the server answers."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> Response:
        return Response()


class AuthenticatedView(APIView):
    """200 when the request's token (or session) is valid, 401 otherwise."""

    permission_classes = (IsAuthenticated,)

    def get(self, request: Request) -> Response:
        return Response()


class HealthView(APIView):
    """`overall_status` OK when the result store answers; 503 when it does not."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "OK"
        except DatabaseError:
            database = "UNAVAILABLE"
        overall = "OK" if database == "OK" else "UNAVAILABLE"
        return Response(
            {"overall_status": overall, "detailed_status": {"database_connection": database}},
            status=200 if overall == "OK" else 503,
        )
