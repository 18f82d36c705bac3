"""Logos uploaded through the pages: accepted ones are re-encoded, everything else is refused
with a message next to the field, and replacing a logo removes the old files."""

import io
import re

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape
from moto import mock_aws
from PIL import Image

from integrations.models import Application
from tests import imagefiles
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PROFILE = {"name": "Northwind Integrations", "website": "", "description": "", "contact_email": ""}
APPLICATION = {"name": "Magento", "website": "", "category": "ecommerce", "description": "", "is_published": "on"}


def upload_profile_logo(user, logo):
    return client_for(user).post(reverse("public_profile_edit"), {**PROFILE, "logo": logo})


@pytest.mark.parametrize(
    "logo",
    [imagefiles.png_file(), imagefiles.jpeg_file(), imagefiles.webp_file()],
    ids=["png", "jpeg", "webp"],
)
def test_a_png_jpeg_or_webp_logo_is_accepted_and_stored_re_encoded(logo, provider, alice):
    response = upload_profile_logo(alice, logo)
    assert response.status_code == 302, response.content.decode()
    provider.refresh_from_db()
    for field, size in provider.LOGO_SIZES.items():
        name = getattr(provider, field).name
        assert name.startswith("organizations/") and "logo" not in name.removeprefix("organizations/")
        with default_storage.open(name) as stored:
            image = Image.open(io.BytesIO(stored.read()))
            assert (image.format, image.size) == ("PNG", (size, size))


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (imagefiles.svg_file(), "SVG images are not accepted. Upload a PNG, JPEG or WebP image."),
        (
            imagefiles.upload("logo.jpg", imagefiles.image_bytes("PNG"), "image/jpeg"),
            "This file is named .jpg but it is a PNG image.",
        ),
        (imagefiles.truncated_png_file(), "This image is damaged or incomplete"),
        (imagefiles.bomb_png_file(), "This image has too many pixels"),
        (imagefiles.too_big_png_file(), "the limit is 2 MB."),
        (
            imagefiles.upload("logo.gif", imagefiles.image_bytes("GIF"), "image/gif"),
            "This file is not a PNG, JPEG or WebP image.",
        ),
    ],
    ids=["svg", "png-renamed-jpg", "truncated", "bomb", "over-2-mb", "gif"],
)
def test_anything_else_is_refused_with_a_clear_message_and_nothing_is_stored(logo, message, provider, alice):
    response = upload_profile_logo(alice, logo)
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(message) in page
    assert 'class="errorlist' in page
    provider.refresh_from_db()
    assert not provider.logo
    assert not default_storage.exists("organizations") or default_storage.listdir("organizations") == ([], [])


def test_replacing_a_logo_through_the_page_removes_the_old_files(provider, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload_profile_logo(alice, imagefiles.png_file())
    provider.refresh_from_db()
    old = provider.logo_names()
    with django_capture_on_commit_callbacks(execute=True):
        upload_profile_logo(alice, imagefiles.jpeg_file())
    provider.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert sorted(default_storage.listdir("organizations")[1]) == sorted(
        name.removeprefix("organizations/") for name in provider.logo_names()
    )


def test_choosing_a_new_logo_and_removing_it_at_once_is_refused(provider, alice):
    upload_profile_logo(alice, imagefiles.png_file())
    response = client_for(alice).post(
        reverse("public_profile_edit"), {**PROFILE, "logo": imagefiles.webp_file(), "remove_logo": "on"}
    )
    assert "Choose a new logo or remove the current one, not both." in response.content.decode()


def test_an_application_logo_goes_through_the_same_checks(provider, alice):
    refused = client_for(alice).post(reverse("application_create"), {**APPLICATION, "logo": imagefiles.svg_file()})
    assert "SVG images are not accepted" in refused.content.decode()
    assert not Application.objects.exists()
    client_for(alice).post(reverse("application_create"), {**APPLICATION, "logo": imagefiles.webp_file()})
    application = Application.objects.get()
    assert application.logo.name.startswith("applications/") and application.logo.name.endswith("-256.png")


def test_the_pages_show_the_logo_with_alt_text(provider, alice):
    upload_profile_logo(alice, imagefiles.png_file())
    provider.refresh_from_db()
    page = client_for(None).get(reverse("integrator_profile", args=[provider.slug])).content.decode()
    assert f'src="/media/{provider.logo.name}" alt="Northwind Integrations logo"' in page


def test_logos_go_to_s3_when_s3_is_the_default_storage(provider, alice, settings, monkeypatch):
    for key in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]:
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        s3.create_bucket(Bucket="portal-logos", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "portal-logos", "region_name": "eu-west-1"},
            },
        }
        assert upload_profile_logo(alice, imagefiles.jpeg_file()).status_code == 302
        provider.refresh_from_db()
        keys = {item["Key"] for item in s3.list_objects_v2(Bucket="portal-logos")["Contents"]}
        assert keys == set(provider.logo_names())
        page = client_for(None).get(reverse("integrator_profile", args=[provider.slug])).content.decode()
        assert re.search(rf'src="https://portal-logos\.s3[\w.-]*\.amazonaws\.com/{provider.logo.name}"', page)


def test_staff_see_the_logo_in_the_admin_but_cannot_upload_one_there(provider, alice, sam):
    upload_profile_logo(alice, imagefiles.png_file())
    provider.refresh_from_db()
    page = client_for(sam).get(reverse("admin:portal_organization_change", args=[provider.pk])).content.decode()
    assert (
        f'<img src="/media/{provider.logo_small.name}" width="64" height="64" alt="Northwind Integrations logo">'
        in page
    )
    assert 'type="file"' not in page


def test_the_application_admin_has_no_upload_either(magento, sam):
    page = client_for(sam).get(reverse("admin:integrations_application_change", args=[magento.pk])).content.decode()
    assert "Magento" in page and 'type="file"' not in page
