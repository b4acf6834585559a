"""The scheduler's purge: lines past CHAT_TEXT_RETENTION, images past CHAT_IMAGE_RETENTION and
uploads never sent go, files included; the job runs at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chat.models import ChatImage, ChatMessage
from chat.services import retention
from core.scheduler import jobs, run_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def _image_line(client, png, text="pic"):
    part = SimpleUploadedFile("a.png", png, content_type="image/png")
    image_id = client.post("/api/chat/image", {"image": part}, format="multipart").json()["imageId"]
    sent = client.post("/api/chat/send", {"imageId": image_id, "text": text}, format="json")
    assert sent.status_code == 200
    return image_id


def test_lines_and_images_go_after_their_retention(
    api_as, settings, seated, bob, carol, png, image_folder
):
    old_image = _image_line(api_as(bob), png, "yesterday's picture")
    new_image = _image_line(api_as(carol), png, "today's picture")
    ChatImage.objects.filter(pk=old_image).update(
        created_at=timezone.now() - settings.CHAT_IMAGE_RETENTION - timedelta(minutes=1)
    )
    ancient = ChatMessage.objects.create(
        room=seated,
        author=bob,
        text="last month",
        created_at=timezone.now() - settings.CHAT_TEXT_RETENTION - timedelta(minutes=1),
    )

    lines, images = retention.chat_purge(now=timezone.now())

    assert (lines, images) == (1, 1)
    assert not ChatMessage.objects.filter(pk=ancient.pk).exists()
    kept = ChatMessage.objects.get(text="yesterday's picture")
    assert kept.image is None and kept.had_image  # the line stays, saying its image expired
    assert ChatMessage.objects.get(text="today's picture").image_id is not None
    assert [p.name for p in image_folder.iterdir()] == [f"{new_image}.png"]


def test_uploads_never_sent_go_after_60_s(api_as, bob, png, image_folder):
    part = SimpleUploadedFile("a.png", png, content_type="image/png")
    api_as(bob).post("/api/chat/image", {"image": part}, format="multipart")

    assert retention.chat_purge(now=timezone.now()) == (0, 0)
    assert retention.chat_purge(now=timezone.now() + timedelta(seconds=61)) == (0, 1)
    assert list(image_folder.iterdir()) == []


def test_retention_comes_from_settings(settings, seated, bob):
    settings.CHAT_TEXT_RETENTION = timedelta(hours=1)
    ChatMessage.objects.create(
        room=seated, author=bob, text="an hour ago", created_at=timezone.now() - timedelta(hours=2)
    )

    assert retention.chat_purge(now=timezone.now()) == (1, 0)


def test_the_scheduler_runs_the_purge_at_most_once_a_minute(monkeypatch, seated, bob):
    assert retention.chat_purge_due in jobs()
    monkeypatch.setattr(retention, "_next_run", 0.0)
    now = timezone.now()

    def old_line() -> None:
        ChatMessage.objects.create(
            room=seated, author=bob, text="old", created_at=now - timedelta(days=365)
        )

    old_line()
    run_jobs(now=now, job_list=[retention.chat_purge_due])
    assert ChatMessage.objects.count() == 0
    old_line()
    run_jobs(now=now + timedelta(seconds=30), job_list=[retention.chat_purge_due])
    assert ChatMessage.objects.count() == 1
    run_jobs(now=now + timedelta(seconds=61), job_list=[retention.chat_purge_due])
    assert ChatMessage.objects.count() == 0
