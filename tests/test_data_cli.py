"""`spectroscopynet inspect` through the real dispatcher: a summary and status 0, or one error line and status 2."""
import subprocess, sys
from pathlib import Path
import pytest
from spectroscopynet.data import REAL_MARS_CCS, REAL_COMPOSITIONS
from _real import needs_real_data, MARS_CCS, COMPOSITIONS

pytestmark = pytest.mark.slow  # each call starts a Python that imports torch: seconds

def _inspect(*args, cwd=None):
    code = 'from spectroscopynet.cli import main; main()'  # what the `spectroscopynet` console script runs
    return subprocess.run([sys.executable, '-c', code, 'inspect', *map(str, args)], capture_output=True, text=True, cwd=cwd)

@needs_real_data(MARS_CCS, COMPOSITIONS)
def test_inspect_real_files():
    r = _inspect(REAL_MARS_CCS)
    assert r.returncode == 0, r.stderr
    assert 'CCS file CL5_398645626CCS_F0030004CCAM02013P3.csv: 30 shots, distance 2673 mm' in r.stdout
    assert 'kept after the ChemCam masks: 5485' in r.stdout
    r = _inspect(REAL_COMPOSITIONS)
    assert r.returncode == 0 and '386 targets' in r.stdout

def test_inspect_bad_file_exits_2(tmp_path):
    (tmp_path/'notes.csv').write_text('# just a note\nhello\n')
    r = _inspect('notes.csv', cwd=tmp_path)
    assert r.returncode == 2 and 'Traceback' not in r.stderr
    assert r.stderr.strip().startswith("spectroscopynet inspect: error: notes.csv: line 2: not a spectrum file of a known "
                                       "format: found a header row with 1 text column(s) ('hello') and no numeric wavelength axis")
    assert all(f"{k} (" in r.stderr for k in ('ccs', 'table', 'columns', 'wide', 'pyhat', 'oceanoptics'))  # the accepted formats

def test_inspect_empty_folder_exits_2(tmp_path):
    (tmp_path/'campaign'/'bhvo2').mkdir(parents=True)
    r = _inspect('campaign', cwd=tmp_path)
    assert r.returncode == 2 and 'no spectra' in r.stderr and 'Traceback' not in r.stderr
