"""Layers point one way (STYLE.md): portal <- integrations <- certification <- marketplace <- scoring.

The Python imports are checked by the import-linter contracts in pyproject.toml (`lint-imports`,
run by .ci/run and `make lint`). These tests cover what those contracts cannot see: that every
app of the project is inside them, and that the portal's templates name no domain app's URL,
template tag library or template (apps hand their links and panels to portal.navigation).
"""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template.backends.django import get_installed_libraries
from django.urls import URLResolver, get_resolver

PORTAL = "portal"
URL_TAG = re.compile(r"{%\s*url\s+['\"]([^'\"]+)['\"]")
LOAD_TAG = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_TAG = re.compile(r"{%\s*(?:include|extends)\s+['\"]([^'\"/]+)/")


def project_apps() -> set[str]:
    """The apps whose code is in this repository (not Django's, allauth's, ...)."""
    root = Path(settings.BASE_DIR)
    # The virtualenv may live inside the checkout (`make test` makes .venv there); its apps are not ours.
    return {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(root) and "site-packages" not in Path(config.path).parts
    }


def domain_apps() -> set[str]:
    return project_apps() - {PORTAL}


def url_owners() -> dict[str, str]:
    """Every URL name (with its namespace) and the package whose urlconf declares it."""
    owners: dict[str, str] = {}

    def walk(patterns, namespace: str, owner: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", None)
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, module.split(".")[0] if module else owner)
            elif pattern.name:
                owners.setdefault(namespace + pattern.name, owner)

    walk(get_resolver().url_patterns, "", PORTAL)
    return owners


def library_owners() -> dict[str, str]:
    return {name: module.split(".")[0] for name, module in get_installed_libraries().items()}


def names_of_domain_apps(template: str) -> list[str]:
    """What a template names that belongs to a domain app: URLs, tag libraries, templates."""
    urls, libraries, domain = url_owners(), library_owners(), domain_apps()
    found = [f"url {name}" for name in URL_TAG.findall(template) if urls.get(name) in domain]
    for loaded in LOAD_TAG.findall(template):
        found += [f"load {name}" for name in loaded.split() if libraries.get(name) in domain]
    found += [f"template {folder}/..." for folder in TEMPLATE_TAG.findall(template) if folder in domain]
    return found


def portal_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders.append(Path(apps.get_app_config(PORTAL).path) / "templates")
    return sorted(path for folder in folders if folder.is_dir() for path in folder.rglob("*.html"))


def test_every_app_of_the_project_is_under_the_import_contracts():
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(contract for contract in config["contracts"] if contract["type"] == "layers")["layers"]
    assert project_apps() <= set(config["root_packages"]), "a new app must be a root package, or nothing checks it"
    assert project_apps() <= {layer.strip("()") for layer in layers}


def test_the_portals_templates_name_no_domain_apps_url_tag_library_or_template():
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): names
        for path in portal_templates()
        if (names := names_of_domain_apps(path.read_text()))
    }
    assert offenders == {}


def test_the_template_check_finds_an_integrations_url_library_and_template():
    template = """{% load static integration_tags %}<a href="{% url 'integration_dashboard' %}">Integrations</a>
        <a href="{% url 'member_list' %}">Members</a>{% include "integrations/_home_panel.html" %}"""
    assert names_of_domain_apps(template) == [
        "url integration_dashboard",
        "load integration_tags",
        "template integrations/...",
    ]
