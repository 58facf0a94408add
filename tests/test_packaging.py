"""The wheel carries what the app needs besides its modules, and serves from an install of it
(issue 22: "a built wheel carries no templates, migrations or compiled translations").

The test builds the wheel (`pip wheel .`; the build back end comes from the package index pip
is set up with, offline here from the machine's local index), checks what is in it, installs it
without dependencies into a new virtual environment and lends that environment the project
venv's installed dependencies through a .pth line (a full install of every dependency into a
clean venv works offline here too, from the local index, but takes about seven minutes on this
machine: see README). The project's own editable install is not visible there: a .pth line adds
a folder to the path without running the .pth files inside it, and the commands run elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

RENDER = """
import sys
import marketplace
from marketplace import create_app
assert marketplace.__file__.startswith(sys.prefix), marketplace.__file__
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x", "TESTING": True})
client = app.test_client()
english, dutch = client.get("/over?lang=en"), client.get("/over?lang=nl")
print(english.status_code, dutch.status_code)
print("About Impactmarkt" in english.get_data(as_text=True), "Over Impactmarkt" in dutch.get_data(as_text=True))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True, cwd=out, capture_output=True, timeout=900,
    )  # fmt: skip
    (built,) = out.glob("impactmarkt-*.whl")
    return built


def test_the_wheel_carries_templates_migrations_data_and_the_compiled_catalogue(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = [p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file()]
    migrations = [p.relative_to(ROOT).as_posix() for p in (ROOT / "migrations").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts]  # fmt: skip
    missing = [path for path in templates + migrations if f"marketplace/_shipped/{path}" not in names]
    assert missing == []
    for needed in (
        "marketplace/translations/en/LC_MESSAGES/messages.mo",
        "marketplace/data/cpv_categories.csv",
        "matching/data/sroi_rulesets.yaml",
        "matching/data/municipalities.csv",
        "marketplace/static/favicon.svg",
        "scrapers/snapshot/pso/register/index.html",
    ):
        assert needed in names, needed


def test_an_install_of_the_wheel_answers_migrates_and_serves_pages_in_both_languages(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    site_packages = Path(
        subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                       check=True, capture_output=True, text=True).stdout.strip()
    )
    (site_packages / "zz_project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("IMPACTMARKT_") and key != "PYTHONPATH"}  # fmt: skip
    database = f"sqlite:///{tmp_path / 'installed.sqlite'}"
    run = {"env": {**environment, "IMPACTMARKT_DATABASE_URL": database}, "cwd": tmp_path,
           "capture_output": True, "text": True, "timeout": 300}  # fmt: skip

    helped = subprocess.run([str(venv / "bin" / "impactmarkt"), "--help"], **run)
    assert helped.returncode == 0 and "db" in helped.stdout, helped.stderr
    upgraded = subprocess.run([str(venv / "bin" / "impactmarkt"), "db", "upgrade"], **run)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert "Running upgrade" in upgraded.stderr
    where = subprocess.run([str(python), "-c", "import marketplace; print(marketplace.runtime_folder('migrations'))"], **run)
    assert where.stdout.strip().startswith(str(site_packages)), where.stdout
    served = subprocess.run([str(python), "-c", RENDER, database], **run)
    assert served.returncode == 0, served.stderr[-2000:]
    assert served.stdout.split() == ["200", "200", "True", "True"]


def test_an_editable_install_compiles_the_catalogue(tmp_path: Path) -> None:
    """`pip install -e .` runs setup.py's build step, which compiles messages.po in place: the
    pages speak English without `make` (issue 22). Done on a copy without a compiled catalogue."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "instance", "*.egg-info", "__pycache__", "*.mo", ".*_cache"))  # fmt: skip
    catalogue = source / "marketplace/translations/en/LC_MESSAGES/messages.mo"
    assert not catalogue.exists()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
         "--no-deps", "-e", str(source)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr[-2000:]
    assert catalogue.exists() and catalogue.stat().st_size > 10_000
