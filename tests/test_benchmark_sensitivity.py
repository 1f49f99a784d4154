"The calibration sensitivity benchmark (quoted in the calibration chapter): its variants change only what they name, and it resumes"
import json, subprocess, sys
from pathlib import Path
from spectroscopynet.simulate import SimConfig

ROOT = Path(__file__).resolve().parents[1]

def _run(out):
    return subprocess.run([sys.executable, str(ROOT/'benchmarks'/'calibration_sensitivity.py'), '--scale', 'tiny',
                           '--variants', 'default,background x5', '--workers', '1', '--out', str(out)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)

def test_background_variants_leave_the_clean_signal_alone_and_rerun_skips(tmp_path):
    r = _run(tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    res = {json.loads(p.read_text())['variant']: json.loads(p.read_text()) for p in tmp_path.glob('*.json')}
    assert set(res) == {'default', 'background x5'}
    base, loud = res['default'], res['background x5']
    for reg in ('sgd', 'ridge'):  # the oracle is the clean signal: scaling the background must not touch it, but for
        # the float32 truth's nudge of <= 8 ulps towards y (simulator chapter), which y moves: relative 1e-5
        assert abs(base[reg]['oracle'] - loud[reg]['oracle']) < 1e-5 * base[reg]['oracle']
        assert base[reg]['raw'] != loud[reg]['raw']  # while the raw spectra do change
    assert loud['overrides']['continuum_level'] == 5 * SimConfig.preset('tiny').continuum_level
    assert 'mean LOSO RMSE' in r.stdout and 'background x5' in r.stdout
    again = _run(tmp_path)  # finished variants are read back, not recomputed
    assert again.returncode == 0 and '[1/' not in again.stdout and 'background x5' in again.stdout
