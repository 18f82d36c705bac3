"""The upload rules of portal.images: what is accepted, what is refused, what is stored, what is removed."""

import io
import time

import boto3
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from moto import mock_aws
from PIL import Image

from portal import images
from tests import imagefiles
from tests.factories import OrganizationFactory


def refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        images.check_image_upload(upload)
    return caught.value


@pytest.mark.parametrize(
    ("upload", "image_format"),
    [
        (imagefiles.png_file(), "PNG"),
        (imagefiles.jpeg_file(), "JPEG"),
        (imagefiles.jpeg_file(name="logo.jpeg"), "JPEG"),
        (imagefiles.webp_file(), "WEBP"),
        (imagefiles.upload("LOGO.PNG", imagefiles.image_bytes("PNG"), "image/png"), "PNG"),
    ],
    ids=["png", "jpeg", "jpeg-long-suffix", "webp", "upper-case-name"],
)
def test_it_accepts_png_jpeg_and_webp(upload, image_format):
    checked = images.check_image_upload(upload)
    assert checked.format == image_format
    assert checked.image.size == (120, 80)


def test_it_identifies_by_content_when_the_browser_declares_no_type():
    checked = images.check_image_upload(imagefiles.upload("logo.png", imagefiles.image_bytes("PNG"), ""))
    assert checked.format == "PNG"
    generic = imagefiles.upload("logo.webp", imagefiles.image_bytes("WEBP"), "application/octet-stream")
    assert images.check_image_upload(generic).format == "WEBP"


def test_it_refuses_svg():
    error = refusal(imagefiles.svg_file())
    assert error.code == "svg"
    assert "SVG images are not accepted" in error.message


def test_it_refuses_svg_even_when_it_claims_to_be_a_png():
    assert refusal(imagefiles.upload("logo.png", imagefiles.SVG, "image/png")).code == "svg"


def test_it_refuses_a_png_renamed_jpg_sent_as_jpeg():
    error = refusal(imagefiles.upload("logo.jpg", imagefiles.image_bytes("PNG"), "image/jpeg"))
    assert error.code == "mismatch"
    assert "named .jpg but it is a PNG image" in error.message


def test_it_refuses_a_png_sent_with_a_jpeg_content_type():
    error = refusal(imagefiles.upload("logo.png", imagefiles.image_bytes("PNG"), "image/jpeg"))
    assert error.code == "mismatch"
    assert "sent as image/jpeg but it is a PNG image" in error.message


def test_it_refuses_a_known_image_under_a_foreign_name():
    assert refusal(imagefiles.upload("logo.gif", imagefiles.image_bytes("PNG"), "image/png")).code == "mismatch"


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_it_refuses_other_image_formats(image_format):
    data = imagefiles.image_bytes(image_format)
    error = refusal(imagefiles.upload(f"logo.{image_format.lower()}", data, f"image/{image_format.lower()}"))
    assert error.code == "not_an_image"
    assert "not a PNG, JPEG or WebP image" in error.message


def test_it_refuses_something_that_is_not_an_image_at_all():
    assert refusal(imagefiles.upload("logo.png", b"MZ\x90\x00 not a picture", "image/png")).code == "not_an_image"


def test_it_refuses_an_empty_file():
    assert refusal(imagefiles.upload("logo.png", b"", "image/png")).code == "empty"


def test_it_refuses_a_truncated_png():
    error = refusal(imagefiles.truncated_png_file())
    assert error.code == "damaged"
    assert "damaged or incomplete" in error.message


def test_it_refuses_a_truncated_jpeg():
    assert refusal(imagefiles.truncated_jpeg_file()).code == "damaged"


def test_it_refuses_a_file_over_2_mb():
    upload = imagefiles.too_big_png_file()
    assert upload.size > images.MAX_UPLOAD_BYTES
    error = refusal(upload)
    assert error.code == "too_big"
    assert "the limit is 2 MB" in error.message


def test_it_refuses_a_decompression_bomb_quickly_without_decoding_it():
    bomb = imagefiles.bomb_png_file()
    assert bomb.size < 200_000, "the bomb is a small file"
    started = time.monotonic()
    error = refusal(bomb)
    assert time.monotonic() - started < 2
    assert error.code == "too_many_pixels"
    assert "too many pixels" in error.message


def test_it_refuses_an_image_over_its_own_pixel_limit_below_pillows():
    error = refusal(imagefiles.bomb_png_file(width=5000, height=5000))
    assert error.code == "too_many_pixels"
    assert "(5000 × 5000)" in error.message


def test_pillows_decompression_bomb_warning_is_a_refusal(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 10**12)  # leave only Pillow's own limit in the way
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000 * 1000)
    error = refusal(imagefiles.bomb_png_file(width=1500, height=1000))  # between the limit and twice it
    assert error.code == "too_many_pixels"


def stored_image(name: str) -> Image.Image:
    with default_storage.open(name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_accepted_images_are_re_encoded_as_png_squares_under_random_names():
    checked = images.check_image_upload(imagefiles.jpeg_file(name="our-secret-plans.jpg"))
    first = images.store_renditions(checked, folder="logos", sizes={"logo": 256, "logo_small": 96})
    second = images.store_renditions(checked, folder="logos", sizes={"logo": 256, "logo_small": 96})
    assert set(first) == {"logo", "logo_small"}
    for field, size in [("logo", 256), ("logo_small", 96)]:
        assert first[field].startswith("logos/") and first[field].endswith(f"-{size}.png")
        assert "secret" not in first[field]
        assert first[field] != second[field]
        image = stored_image(first[field])
        assert (image.format, image.size, image.mode) == ("PNG", (size, size), "RGBA")


def test_re_encoding_keeps_the_aspect_ratio_on_a_transparent_square():
    checked = images.check_image_upload(imagefiles.png_file(size=(200, 100)))
    image = stored_image(images.store_renditions(checked, folder="logos", sizes={"logo": 256})["logo"])
    assert image.getpixel((128, 10))[3] == 0, "the band above a wide logo is transparent"
    assert image.getpixel((2, 128))[3] == 255


def test_re_encoding_drops_the_metadata_the_upload_carried():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {1: "N"}  # GPS
    upload = imagefiles.upload("photo.jpg", imagefiles.image_bytes("JPEG", exif=exif.tobytes()), "image/jpeg")
    assert Image.open(io.BytesIO(upload.read())).getexif()
    checked = images.check_image_upload(upload)
    image = stored_image(images.store_renditions(checked, folder="logos", sizes={"logo": 96})["logo"])
    assert not image.getexif()
    assert "exif" not in image.info


def test_replacing_a_logo_deletes_the_old_files_only_once_the_change_commits(db, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    first = images.store_renditions(
        images.check_image_upload(imagefiles.png_file()), folder="organizations", sizes=organization.LOGO_SIZES
    )
    images.replace_logo(organization, first)
    organization.save()
    second = images.store_renditions(
        images.check_image_upload(imagefiles.webp_file()), folder="organizations", sizes=organization.LOGO_SIZES
    )
    with django_capture_on_commit_callbacks() as callbacks:
        images.replace_logo(organization, second)
        organization.save()
    assert all(default_storage.exists(name) for name in first.values()), "kept until the commit"
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in first.values())
    assert all(default_storage.exists(name) for name in second.values())
    assert organization.logo.name == second["logo"]


def test_files_written_for_a_change_that_fails_are_removed():
    checked = images.check_image_upload(imagefiles.png_file())
    written = {}
    with pytest.raises(RuntimeError), images.new_renditions(checked, folder="logos", sizes={"logo": 64}) as stored:
        written.update(stored)
        assert default_storage.exists(stored["logo"])
        raise RuntimeError("the transaction rolled back")
    assert not default_storage.exists(written["logo"])


@pytest.fixture
def s3_storage(settings, monkeypatch):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # noqa: S105 - moto's fake credentials
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="portal-media")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "portal-media", "region_name": "us-east-1"},
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_logos_are_stored_in_s3_when_s3_is_the_default_storage(s3_storage):
    checked = images.check_image_upload(imagefiles.webp_file())
    stored = images.store_renditions(checked, folder="logos", sizes={"logo": 256, "logo_small": 96})
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket="portal-media")["Contents"]}
    assert keys == set(stored.values())
    body = s3_storage.get_object(Bucket="portal-media", Key=stored["logo"])
    assert body["ContentType"] == "image/png"
    assert Image.open(io.BytesIO(body["Body"].read())).size == (256, 256)
    assert default_storage.url(stored["logo"]).startswith("https://portal-media.s3")

    images.delete_files(stored.values())
    assert s3_storage.list_objects_v2(Bucket="portal-media")["KeyCount"] == 0


def test_deleting_an_organization_deletes_its_logo_files(db, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    stored = images.store_renditions(
        images.check_image_upload(imagefiles.png_file()), folder="organizations", sizes=organization.LOGO_SIZES
    )
    images.replace_logo(organization, stored)
    organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        organization.delete()
    assert not any(default_storage.exists(name) for name in stored.values())
