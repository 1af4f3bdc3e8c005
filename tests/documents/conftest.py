import copy
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def documents_test_assets(settings, tmp_path):
    """Test-only templates and static files, and a fresh media folder for each test."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], HERE / "templates"]
    settings.TEMPLATES = templates
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, HERE / "static"]
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
