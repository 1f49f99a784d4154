"""The notebooks are the source: `nbdev_export` must not change spectroscopynet/ and `nbdev_clean` must not change nbs/."""
import shutil, subprocess, filecmp
from pathlib import Path

ROOT = Path(__file__).parent.parent

def _snapshot(d):
    return {p.relative_to(d): p.read_bytes() for p in sorted(Path(d).rglob('*')) if p.is_file() and '__pycache__' not in p.parts}

def test_modules_in_sync_with_notebooks(tmp_path):
    before = _snapshot(ROOT/'spectroscopynet')
    subprocess.run(['nbdev_export'], cwd=ROOT, check=True, capture_output=True)
    after = _snapshot(ROOT/'spectroscopynet')
    changed = sorted(str(k) for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"nbdev_export changed {changed}: run nbdev_export and commit"

def test_notebooks_clean():
    before = _snapshot(ROOT/'nbs')
    subprocess.run(['nbdev_clean'], cwd=ROOT, check=True, capture_output=True)
    after = _snapshot(ROOT/'nbs')
    changed = sorted(str(k) for k in set(before) | set(after) if before.get(k) != after.get(k))
    assert not changed, f"nbdev_clean changed {changed}: run nbdev_clean and commit"
