import pytest


@pytest.fixture(autouse=True)
def library_temp_dir(settings, tmp_path):
    """The library's temporary folder inside the test's own folder (checked for leftovers)."""
    settings.STEPPE_LIBRARY_TEMP_DIR = str(tmp_path / "library-tmp")
    return tmp_path / "library-tmp"
