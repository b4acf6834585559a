"""POST /api/chat/image and GET /api/chat/image/{id}: 2.x's answers, and what 2.x never did:
the bytes decide what an image is, its metadata is gone, and it is never served as a page."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chat.models import ChatImage, ChatMessage
from chat.services.images import STORE_MAX, STORE_MAX_PER_USER
from chat.services.messages import message_delete

from .conftest import image_file

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "The file is not a PNG, JPEG, GIF or WebP image"


def upload(client, data: bytes, *, name="paste.png", content_type="image/png", field="image"):
    part = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post("/api/chat/image", {field: part}, format="multipart")


def test_an_upload_answers_with_2x_image_id_and_is_served_back(api_as, bob, png, image_folder):
    response = upload(api_as(bob), png)

    assert response.status_code == 200
    image_id = response.json()["imageId"]
    assert str(uuid.UUID(image_id)) == image_id
    served = api_as(bob).get(f"/api/chat/image/{image_id}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["Cache-Control"] == "private, max-age=60"
    assert served["Content-Disposition"] == f'inline; filename="{image_id}.png"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in served["Content-Security-Policy"]
    assert Image.open(io.BytesIO(served.content)).size == (40, 30)
    # Kept as a file under the data folder, named by us.
    assert [p.name for p in image_folder.iterdir()] == [f"{image_id}.png"]


def test_images_are_served_without_a_login_as_2x_img_tags_need(client, api_as, bob, png):
    image_id = upload(api_as(bob), png).json()["imageId"]

    assert client.get(f"/api/chat/image/{image_id}").status_code == 200


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_each_kind_is_served_as_what_its_bytes_are(api_as, client, bob, kind):
    declared = "image/png"  # whatever the client claims
    image_id = upload(api_as(bob), image_file(kind), content_type=declared).json()["imageId"]

    served = client.get(f"/api/chat/image/{image_id}")

    assert served["Content-Type"] == f"image/{kind.lower()}"
    assert Image.open(io.BytesIO(served.content)).format == kind


def test_metadata_is_gone_and_photos_stand_upright(api_as, client, bob):
    exif = Image.Exif()
    exif[0x010F] = "SpyPhone"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    exif[0x8825] = {2: (33.0, 55.0, 1.0)}  # GPS latitude
    photo = image_file("JPEG", (40, 30), exif=exif.tobytes(), comment=b"at home")

    image_id = upload(api_as(bob), photo, content_type="image/jpeg").json()["imageId"]
    served = client.get(f"/api/chat/image/{image_id}").content

    assert b"SpyPhone" not in served and b"at home" not in served
    stored = Image.open(io.BytesIO(served))
    assert not stored.getexif()
    assert stored.size == (30, 40)


def test_a_png_loses_its_text_chunks(api_as, client, bob):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "my address is 1 Secret Lane")
    image_id = upload(api_as(bob), image_file("PNG", pnginfo=info)).json()["imageId"]

    assert b"Secret Lane" not in client.get(f"/api/chat/image/{image_id}").content


def test_an_animated_gif_stays_animated(api_as, client, bob):
    frames = [Image.new("RGB", (16, 16), (i * 50, 0, 0)) for i in range(4)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=90, loop=0)

    image_id = upload(api_as(bob), out.getvalue(), content_type="image/gif").json()["imageId"]
    stored = Image.open(io.BytesIO(client.get(f"/api/chat/image/{image_id}").content))

    assert (stored.format, getattr(stored, "n_frames", 1)) == ("GIF", 4)


# --- The bad-input table ------------------------------------------------------------------------

PNG_BYTES = image_file("PNG")
JPEG_BYTES = image_file("JPEG", (64, 64))


@pytest.mark.parametrize(
    ("data", "content_type", "status", "error"),
    [
        # 2.x drops a part not declared image/*: as if none was sent.
        (PNG_BYTES, "text/plain", 400, "No image provided"),
        (PNG_BYTES, "application/octet-stream", 400, "No image provided"),
        (b"<html><script>alert(1)</script></html>", "text/html", 400, "No image provided"),
        # Declared an image, but the bytes say otherwise (ours).
        (b"<html><script>alert(1)</script></html>", "image/png", 400, NOT_AN_IMAGE),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            "image/svg+xml",
            400,
            NOT_AN_IMAGE,
        ),
        (b"%PDF-1.4 not an image", "image/jpeg", 400, NOT_AN_IMAGE),
        (b"", "image/png", 400, NOT_AN_IMAGE),
        (b"\x89PNG\r\n\x1a\n", "image/png", 400, NOT_AN_IMAGE),
        # Truncated: a real header, the pixels cut short.
        (PNG_BYTES[: len(PNG_BYTES) // 2], "image/png", 400, NOT_AN_IMAGE),
        (JPEG_BYTES[: len(JPEG_BYTES) // 2], "image/jpeg", 400, NOT_AN_IMAGE),
        (b"GIF89a" + b"\x00" * 40, "image/gif", 400, NOT_AN_IMAGE),
    ],
)
def test_bad_uploads_get_a_clear_error_and_store_nothing(
    api_as, bob, image_folder, data, content_type, status, error
):
    response = upload(api_as(bob), data, content_type=content_type)

    assert (response.status_code, response.json()) == (status, {"error": error})
    assert ChatImage.objects.count() == 0
    assert not image_folder.exists() or list(image_folder.iterdir()) == []


def test_no_part_at_all_or_no_multipart_body_is_no_image(api_as, bob):
    client = api_as(bob)
    empty = client.post("/api/chat/image", {}, format="multipart")
    json_body = client.post("/api/chat/image", {"image": "x"}, format="json")
    nothing = client.post("/api/chat/image")

    for response in (empty, json_body, nothing):
        assert (response.status_code, response.json()) == (400, {"error": "No image provided"})


def test_a_file_in_another_field_or_a_second_file_is_2x_unexpected_field(api_as, bob, png):
    client = api_as(bob)
    elsewhere = upload(client, png, field="file")
    two = client.post(
        "/api/chat/image",
        {"image": [SimpleUploadedFile("a.png", png, "image/png")] * 2},
        format="multipart",
    )

    assert (elsewhere.status_code, elsewhere.json()) == (400, {"error": "Unexpected field"})
    assert (two.status_code, two.json()) == (400, {"error": "Unexpected field"})


def test_a_broken_multipart_body_is_refused_with_its_message(api_as, bob):
    response = api_as(bob).post(
        "/api/chat/image",
        b"--xyz\r\nContent-Disposition: form-data; name=image; filename=a.png\r\n",
        content_type="multipart/form-data",  # no boundary
    )

    assert response.status_code == 400
    assert response.json()["error"].startswith("Multipart form parse error")


def test_over_10_mib_is_413_with_the_true_limit(api_as, bob, settings):
    # 2.x answered "Image too large (max 500KB)" while allowing 10 MiB: the status stays.
    big = b"\x89PNG" + b"\x00" * (10 * 1024 * 1024)

    response = upload(api_as(bob), big)

    assert (response.status_code, response.json()) == (
        413,
        {"error": "Image too large (max 10 MB)"},
    )
    assert ChatImage.objects.count() == 0


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(api_as, bob):
    response = api_as(bob).post(
        "/api/chat/image",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )

    assert (response.status_code, response.json()) == (
        413,
        {"error": "Image too large (max 10 MB)"},
    )


def test_other_routes_keep_the_16_kb_json_limit(api_as, bob):
    response = api_as(bob).post("/api/chat/send", {"text": "x" * 20_000}, format="json")

    assert (response.status_code, response.json()) == (413, {"error": "Request body too large"})


def test_too_many_pixels_are_refused(api_as, bob, settings):
    settings.CHAT_IMAGE_MAX_PIXELS = 1_000_000

    response = upload(api_as(bob), image_file("PNG", (1001, 1000)))

    assert (response.status_code, response.json()) == (
        400,
        {"error": "Image too big to show (max 1 megapixels)"},
    )


def test_a_full_store_is_2x_429(api_as, bob, carol, png):
    ChatImage.objects.bulk_create(
        [_pending(carol) for _ in range(STORE_MAX)]  # other people's unsent uploads
    )

    response = upload(api_as(bob), png)

    assert (response.status_code, response.json()) == (
        429,
        {"error": "Image store full, try again shortly"},
    )


def test_one_user_cannot_fill_the_store_for_everyone(api_as, bob, carol, png):
    ChatImage.objects.bulk_create([_pending(bob) for _ in range(STORE_MAX_PER_USER)])

    assert upload(api_as(bob), png).status_code == 429
    assert upload(api_as(carol), png).status_code == 200


def test_uploads_older_than_60_s_leave_the_store(api_as, bob, png):
    ChatImage.objects.bulk_create([_pending(bob, age=61) for _ in range(STORE_MAX)])

    assert upload(api_as(bob), png).status_code == 200


def test_uploading_needs_a_login(client, png):
    response = client.post(
        "/api/chat/image", {"image": SimpleUploadedFile("a.png", png, "image/png")}
    )

    assert response.status_code == 401


# --- Serving ------------------------------------------------------------------------------------

GONE = {"error": "Image not found or expired"}


@pytest.mark.parametrize("image_id", ["nope", "8c1f0c8e-2f4a-4c55-9a44-0d8a9b1c2d3e", "1" * 300])
def test_an_unknown_image_is_2x_404(client, image_id):
    response = client.get(f"/api/chat/image/{image_id}")

    assert (response.status_code, response.json()) == (404, GONE)


@pytest.mark.django_db(transaction=True)
def test_an_image_is_served_while_its_line_lives(api_as, client, seated, bob, png, image_folder):
    bob_api = api_as(bob)
    image_id = upload(bob_api, png).json()["imageId"]
    bob_api.post("/api/chat/send", {"imageId": image_id}, format="json")
    ChatImage.objects.update(created_at=timezone.now() - timedelta(hours=2))

    assert client.get(f"/api/chat/image/{image_id}").status_code == 200

    message_delete(message_id=ChatMessage.objects.get().pk, actor=bob)
    response = client.get(f"/api/chat/image/{image_id}")

    assert (response.status_code, response.json()) == (404, GONE)
    assert list(image_folder.iterdir()) == []


def test_an_unsent_upload_is_served_only_for_its_60_s(api_as, client, bob, png):
    image_id = upload(api_as(bob), png).json()["imageId"]
    ChatImage.objects.update(created_at=timezone.now() - timedelta(seconds=61))

    assert client.get(f"/api/chat/image/{image_id}").status_code == 404


def test_an_image_past_its_retention_is_not_served(api_as, client, settings, bob, png):
    image_id = upload(api_as(bob), png).json()["imageId"]
    ChatImage.objects.update(created_at=timezone.now() - settings.CHAT_IMAGE_RETENTION)

    assert client.get(f"/api/chat/image/{image_id}").status_code == 404


def _pending(user, age: float = 0) -> ChatImage:
    return ChatImage(
        uploader=user,
        file_name=f"{uuid.uuid4()}.png",
        content_type="image/png",
        size=1,
        width=1,
        height=1,
        created_at=timezone.now() - timedelta(seconds=age),
    )
