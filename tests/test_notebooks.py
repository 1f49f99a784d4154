"""Run every notebook's inline tests as one pytest test each, with nbdev's own executor.

Cells flagged with a `tst_flags` flag from settings.ini (`#| slow`, `#| real`) are skipped, as `nbdev_test` skips
them; set SPECTROSCOPYNET_TEST_FLAGS=slow to run the slow ones too. Cells flagged `#| real` read the real data files
(not in the repository): they run whenever the real data folder is present ($SPECTROSCOPYNET_REAL_DATA, else
`shared/data/real` beside the repository). Where it is absent the notebook's other cells still run, and the test then
reports itself skipped with the reason, which says where to put the data. A failing notebook shows the failing cell
and its traceback."""
import json, os
from pathlib import Path
import pytest
from nbdev.test import test_nb as run_notebook_tests
from nbdev.config import get_config
from spectroscopynet.data import real_data_missing

NBS = sorted(p for p in (Path(__file__).parent.parent/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

def real_cells(nb:Path) -> int:
    "How many code cells of `nb` carry the `#| real` flag"
    cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
    return sum(1 for c in cells if c['cell_type'] == 'code' and any(l.strip() == '#| real' for l in c['source']))

@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb, capsys):
    skip = get_config().tst_flags.split()
    force = os.environ.get('SPECTROSCOPYNET_TEST_FLAGS', '').split()
    missing = real_data_missing()
    if missing is None: force.append('real')
    ok, secs = run_notebook_tests(nb, skip_flags=skip, force_flags=force, showerr=True)
    assert ok, f"{nb.name}: a cell failed (its traceback is printed above)"
    if missing and (n := real_cells(nb)): pytest.skip(f"{nb.name}: the other cells passed; {n} cell(s) flagged `#| real` not run: {missing}")
