"""`make package` / `make deploy`: the plugin folder holds the package, metadata and resources
only."""

import configparser
import subprocess
import zipfile

from conftest import REPO


def test_zip_holds_one_plugin_folder_without_tests_or_caches(tmp_path):
    archive = tmp_path / "goci_resample_plugin.zip"
    subprocess.run(["make", "-s", "-C", str(REPO), "package"], check=True, capture_output=True)
    built = REPO / "dist" / "goci_resample_plugin.zip"
    archive.write_bytes(built.read_bytes())
    names = zipfile.ZipFile(archive).namelist()
    assert {name.split("/")[0] for name in names} == {"goci_resample_plugin"}
    inside = {name.split("/")[1] for name in names}
    assert inside == {
        "__init__.py",
        "plugin.py",
        "core",
        "processing",
        "metadata.txt",
        "resources",
        "LICENSE",
        "i18n",
    }
    assert "goci_resample_plugin/i18n/goci_resample_zh.qm" in names
    assert not [name for name in names if name.endswith(".ts")]
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert "goci_resample_plugin/resources/icon.svg" in names
    # Exactly the plugin's own modules: the sample-scene generator is a development tool.
    shipped = {name for name in names if name.endswith(".py")}
    package = REPO / "goci_resample_plugin"
    assert shipped == {f"goci_resample_plugin/{p.relative_to(package).as_posix()}"
                       for p in package.rglob("*.py") if "__pycache__" not in p.parts}  # fmt: skip
    assert not [name for name in names if "sample_data" in name]
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read_string(
        zipfile.ZipFile(archive).read("goci_resample_plugin/metadata.txt").decode()
    )
    assert metadata["general"]["hasProcessingProvider"] == "yes"
    assert metadata["general"]["icon"] == "resources/icon.svg"


def _package_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("package", REPO / "scripts" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    return package


def test_zip_is_reproducible(tmp_path):
    package = _package_script()
    first = package.build_zip(tmp_path / "a.zip").read_bytes()
    second = package.build_zip(tmp_path / "b.zip").read_bytes()
    assert first == second


def test_a_change_to_any_file_gives_every_file_a_new_timestamp(tmp_path):
    """numba reuses a cached kernel while the defining file keeps its timestamp and size; the
    rules it calls live in another file (grid_rules.py), so a release changing only them must
    still change grid_kernel.py's timestamp."""
    package = _package_script()
    files = list(package.plugin_files())
    with zipfile.ZipFile(package.build_zip(tmp_path / "plugin.zip")) as archive:
        stamps = {entry.date_time for entry in archive.infolist()}
    assert stamps == {package.content_time(files).timetuple()[:6]}
    deployed = package.build_plugin_dir(tmp_path / "plugins")  # the demo's and deploy's copy
    mtimes = {p.stat().st_mtime for p in deployed.rglob("*") if p.is_file()}
    assert mtimes == {package.content_time(files).timestamp()}
    rules = next(n for n, (_, inside) in enumerate(files) if inside.name == "grid_rules.py")
    edited = tmp_path / "grid_rules.py"
    edited.write_bytes(files[rules][0].read_bytes().replace(b"1.0 / 24", b"(1.0/24)"))  # same size
    changed = [*files[:rules], (edited, files[rules][1]), *files[rules + 1 :]]
    assert package.content_time(changed) != package.content_time(files)


def test_deploy_installs_into_the_chosen_plugins_folder(tmp_path):
    plugins = tmp_path / "profile" / "python" / "plugins"
    subprocess.run(
        ["make", "-s", "-C", str(REPO), "deploy", f"PLUGIN_DIR={plugins}"],
        check=True,
        capture_output=True,
    )
    installed = plugins / "goci_resample_plugin"
    assert (installed / "metadata.txt").is_file() and (installed / "core" / "pair.py").is_file()
    assert not (installed / "tests").exists()
    # Deploying again replaces the copy in place.
    subprocess.run(
        ["make", "-s", "-C", str(REPO), "deploy", f"PLUGIN_DIR={plugins}"],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in plugins.iterdir()) == ["goci_resample_plugin"]


def test_every_user_visible_string_is_translated(tmp_path):
    """pylupdate5 over the code (what ``make translations`` runs) on a copy of each .ts finds
    no message without a translation: a new label, help text or message must come with its
    Chinese."""
    import re
    import shutil

    sources = [str(p) for p in sorted((REPO / "goci_resample_plugin").glob("*.py"))]
    sources += [str(p) for p in sorted((REPO / "goci_resample_plugin" / "processing").glob("*.py"))]
    for ts in sorted((REPO / "i18n").glob("*.ts")):
        copy = tmp_path / ts.name
        shutil.copy(ts, copy)
        subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(copy)], check=True,
                       capture_output=True)  # fmt: skip
        text = copy.read_text(encoding="utf-8")
        missing = re.findall(r"<source>([^<]{0,80})[^<]*</source>\s*<translation "
                             r'type="unfinished"', text)  # fmt: skip
        assert not missing, f"{ts.name}: {len(missing)} untranslated, e.g. {missing[:3]}"
        assert text.count("<message") > 100
