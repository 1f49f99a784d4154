"""Run every notebook's inline tests as one pytest test each, with nbdev's own executor.

Cells flagged with a `tst_flags` flag from settings.ini (`#| slow`) are skipped, as `nbdev_test` skips them;
set SPECTROSCOPYNET_TEST_FLAGS=slow to run them too. A failing notebook shows the failing cell and its traceback."""
import os
from pathlib import Path
import pytest
from nbdev.test import test_nb as run_notebook_tests
from nbdev.config import get_config

NBS = sorted(p for p in (Path(__file__).parent.parent/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb, capsys):
    skip = get_config().tst_flags.split()
    force = os.environ.get('SPECTROSCOPYNET_TEST_FLAGS', '').split()
    ok, secs = run_notebook_tests(nb, skip_flags=skip, force_flags=force, showerr=True)
    assert ok, f"{nb.name}: a cell failed (its traceback is printed above)"
