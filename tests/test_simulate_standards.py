"""The simulator's standards and geometry: it runs without the real data (a composition model and named reference
materials made by our code), every lab file is at DISTT 1600 mm by default, and the Mars-like scatter is one flag away."""
import json, os, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, pytest
import spectroscopynet
from spectroscopynet.simulate import (calibration_standards, draw_compositions, load_composition_model, NAMED_STANDARDS,
                                      SIM_OXIDES, COMPOSITION_MODEL_FILE, MARS_STANDOFF_MM)
from spectroscopynet.data import read_ccs_csv, real_data_path
from _real import needs_real_data, COMPOSITIONS

REPO = Path(spectroscopynet.__file__).resolve().parents[1]
_TABLE = real_data_path(COMPOSITIONS)

def _simulate(*args, env=None):
    return subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'simulate', *args],
                          capture_output=True, text=True, env=env)

def _distt(folder):
    return sorted({read_ccs_csv(p).distance_mm for p in Path(folder).glob('*/*_ccs.csv')})

def test_default_is_the_lab_geometry_and_the_flag_gives_the_mars_like_scatter(tmp_path):
    r = _simulate(str(tmp_path/'lab'), '--scale', 'tiny', '--quiet')
    assert r.returncode == 0, r.stderr
    assert _distt(tmp_path/'lab') == [1600.0]  # every file of every target
    assert json.loads((tmp_path/'lab'/'manifest.json').read_text())['config']['distance_mm'] == [1600.0, 1600.0]
    r = _simulate(str(tmp_path/'mars'), '--scale', 'tiny', '--quiet', '--standoff_scatter')
    assert r.returncode == 0, r.stderr
    d = _distt(tmp_path/'mars')
    assert len(d) >= 8 and MARS_STANDOFF_MM[0] <= min(d) and max(d) <= MARS_STANDOFF_MM[1] and all(v == round(v) for v in d)
    assert '1.6-3.0 m' in r.stdout and json.loads((tmp_path/'mars'/'manifest.json').read_text())['config']['distance_mm'] == list(MARS_STANDOFF_MM)

def test_simulator_runs_without_the_real_data(tmp_path):
    "No real data file is read: the real-data folder points at an empty one and any open() below a 'real' folder fails"
    env = {**os.environ, 'SPECTROSCOPYNET_REAL_DATA': str(tmp_path/'nothing'), 'PYTHONPATH': str(REPO)}
    code = ("import builtins, io, pathlib; from spectroscopynet.simulate import simulate_campaign\n"
            "_open = io.open\n"
            "def guard(f, *a, **k):\n"
            "    assert 'real' not in pathlib.Path(str(f)).parts, f'reads real data: {f}'\n"
            "    return _open(f, *a, **k)\n"
            "builtins.open = io.open = guard\n"
            f"simulate_campaign({str(tmp_path/'c')!r}, 'tiny', seed=1, progress=False, locations=1, shots=2)\n")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    comp = pd.read_csv(tmp_path/'c'/'ccam_calibration_compositions.csv').set_index('Target')
    assert comp.loc['bhvo2', 'SiO2'] == 49.9
    src = (REPO/'spectroscopynet'/'simulate.py').read_text()
    assert "'assets'/'real'" not in src and 'thesis_chemcam_compositions' not in src

def test_calibration_standards_are_named_plus_model_draws():
    s = calibration_standards()
    assert len(s) == 386 and s.index.is_unique
    assert list(s.index[:len(NAMED_STANDARDS)]) == list(NAMED_STANDARDS.index)
    syn = s.drop(NAMED_STANDARDS.index)
    assert all(n.startswith('syn') for n in syn.index) and syn['Sample Name'].str.contains('synthetic').all()
    ox = syn[SIM_OXIDES].to_numpy(float)
    assert (ox >= 0).all() and (ox.sum(1) <= 100.001).all()
    np.testing.assert_allclose(syn['MOC total'], ox.sum(1), atol=1e-3)
    assert calibration_standards().equals(s)  # the same set every call (fixed seed)
    # BHVO-2 = the USGS certificate (Fe2O3T 12.3 -> FeOT, Mn 1290 ug/g -> MnO)
    b = NAMED_STANDARDS.loc['bhvo2']
    assert (b.SiO2, b.TiO2, b.Al2O3, b.MgO, b.CaO, b.Na2O, b.K2O) == (49.9, 2.73, 13.5, 7.23, 11.4, 2.22, 0.52)
    assert abs(b.FeOT - 12.3*2*55.845/(2*55.845 + 3*15.999)*(55.845 + 15.999)/55.845) < 0.01
    assert abs(b.MnO - 1290e-4*(54.938 + 15.999)/54.938) < 0.001

def test_draws_are_compositions_and_depend_on_the_seed():
    a, b = draw_compositions(500, seed=1), draw_compositions(500, seed=2)
    assert a.equals(draw_compositions(500, seed=1)) and not a.equals(b)
    assert (a.to_numpy() >= 0).all() and (a.sum(axis=1) <= 100.001).all()
    assert len(draw_compositions(0)) == 0

@needs_real_data(COMPOSITIONS)
def test_the_asset_is_what_the_tool_makes_from_the_real_table(tmp_path):
    out = tmp_path/'model.json'
    r = subprocess.run([sys.executable, str(REPO/'tools'/'make_composition_model.py'), '--real', str(_TABLE.parent), '--out', str(out)],
                       capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr
    new, shipped = json.loads(out.read_text()), load_composition_model()
    import hashlib
    assert shipped['provenance']['source_sha256'] == hashlib.sha256(_TABLE.read_bytes()).hexdigest()
    assert shipped['provenance']['n'] == len(pd.read_csv(_TABLE)) == 386
    assert new['provenance']['fit']['n_components'] == shipped['provenance']['fit']['n_components']
    for k in ('weights', 'means', 'covariances'):
        np.testing.assert_allclose(np.asarray(new[k]), np.asarray(shipped[k]), rtol=1e-6, atol=1e-8)
    # the model's medians sit near the real ones (within a quarter of the real interquartile range, every oxide)
    real, draws = pd.read_csv(_TABLE)[SIM_OXIDES].fillna(0), draw_compositions(20000, seed=0)
    iqr = real.quantile(0.75) - real.quantile(0.25)
    assert ((draws.median() - real.median()).abs() < 0.25*iqr).all()
