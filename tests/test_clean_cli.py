"""`spectroscopynet clean` end to end: a tiny simulated campaign and the real Mars CCS file, learned and ChemCam-style
methods, outputs read back through the package's readers; bad input, no-overwrite, resume and out-of-range warnings."""
import subprocess, sys, shutil, warnings
from pathlib import Path
import numpy as np
import pytest
from spectroscopynet.cli import main
from spectroscopynet.clean import clean, clean_paths, Cleaner, CleanError, OutOfRangeWarning, out_of_range
from spectroscopynet.data import (REAL_MARS_CCS, REAL_BHVO2_SPECTRA, read_ccs_csv, read_spectrum_table, load_campaign,
                                  read_data_summary, write_ccs_csv, chemcam_mask)
from spectroscopynet.simulate import simulate_campaign
from spectroscopynet.train import train, TrainConfig
from spectroscopynet.model import RELATIVE_TOLERANCE
from _real import needs_real_data, MARS_CCS, BHVO2_TABLES

@pytest.fixture(scope='module')
def fixture(tmp_path_factory):
    "A tiny simulated campaign and what `train` makes by default on it (TrainConfig.tiny(): a pipeline, seconds)"
    root = tmp_path_factory.mktemp('clean')
    camp = simulate_campaign(root/'campaign', scale='tiny', seed=0, progress=False)
    run = train(camp, TrainConfig.tiny(), root/'run', progress=False)
    return root, camp, run

def _cli(*args, cwd=None):
    code = 'from spectroscopynet.cli import main; main()'  # what the `spectroscopynet` console script runs
    return subprocess.run([sys.executable, '-c', code, 'clean', *map(str, args)], capture_output=True, text=True, cwd=cwd)

def _files(folder): return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob('*') if p.is_file())

def test_run_records_its_training_data(fixture):
    _, camp, run = fixture
    s = read_data_summary(run)
    assert s['simulated'] and s['campaign'] == 'campaign' and s['grid']['chemcam'] and s['mask']['n_kept'] == 6144  # the default 'pipeline' trains on the whole grid (siamese runs: 5485 kept)
    assert 0 < s['intensity']['mean_abs_percentiles']['1'] <= s['intensity']['mean_abs_percentiles']['99']

@pytest.mark.slow  # starts a Python that imports torch: seconds
@needs_real_data(MARS_CCS)
def test_cli_learned_campaign_and_mars(fixture):
    root, camp, run = fixture
    out = root/'out_learned'
    r = _cli(camp, REAL_MARS_CCS, '--model', run, '--out', out, '--noise', '--quiet')
    assert r.returncode == 0, r.stderr
    assert f'warning: {REAL_MARS_CCS}: real data, but the model was trained on the simulated campaign' in r.stderr
    assert str(camp) not in r.stderr  # its own (simulated) data is in range
    back, raw = load_campaign(out, cache=False), load_campaign(camp, cache=False)
    assert back.source.tolist() == raw.source.tolist() and back.spectra.shape == raw.spectra.shape
    assert back.n_targets == raw.n_targets and len(back.compositions) == len(raw.compositions)
    ref = clean(raw.spectra[:5], raw.wavelengths, model=run)
    assert np.abs(back.spectra[:5] - ref).max() <= 1e-6 * np.abs(ref).max()  # 8 significant digits in the files
    m = read_ccs_csv(out/REAL_MARS_CCS.name)
    assert m.n_shots == 30 and m.metadata['CLEAN_METHOD'] == 'learned' and m.metadata['CLEAN_MODEL'] == str(run.resolve())
    assert m.metadata['CLEAN_SOFTWARE'].startswith('spectroscopynet ') and m.metadata['NSHOTS'] == 30
    assert np.isfinite(m.shots).all() and (m.shots[:, ~chemcam_mask(m.wavelengths)] != 0).any()  # the default pipeline cleans the whole grid, masked bands included
    noise = read_ccs_csv(out/(REAL_MARS_CCS.stem + '_noise.csv'))
    assert noise.metadata['CLEAN_PART'] == 'noise' and not np.allclose(noise.shots, m.shots)

@needs_real_data(MARS_CCS, BHVO2_TABLES[0])
def test_cli_chemcam_and_table(fixture):
    root, camp, _ = fixture
    out = root/'out_chemcam'
    assert main(['clean', str(camp), str(REAL_MARS_CCS), str(REAL_BHVO2_SPECTRA[0]), '--method', 'chemcam', '--out', str(out), '--quiet']) is None
    raw = read_ccs_csv(REAL_MARS_CCS); m = read_ccs_csv(out/REAL_MARS_CCS.name)
    from spectroscopynet.baselines import chemcam_clean
    ref = chemcam_clean(raw.shots, raw.wavelengths)
    assert np.abs(m.shots - ref).max() <= 1e-6 * np.abs(ref).max() and m.metadata['CLEAN_METHOD'] == 'chemcam'
    t = read_spectrum_table(out/REAL_BHVO2_SPECTRA[0].name)
    assert t.names == ['intensity'] and t.metadata['CLEAN_MODEL'] == 'none'
    assert load_campaign(out, cache=False).n_targets == load_campaign(camp, cache=False).n_targets

@pytest.mark.slow  # starts a Python that imports torch: seconds
@needs_real_data(MARS_CCS)
def test_bad_input_named_exit_2_and_strict(fixture, tmp_path):
    src = tmp_path/'in'; src.mkdir()
    for n in ('a', 'c'): shutil.copy(REAL_MARS_CCS, src/f'{n}_ccs.csv')
    (src/'b_ccs.csv').write_text('# KEY = 1\n# wave , shot1 , median, mean\n240.8, 1, 2\n')
    r = _cli(src, tmp_path/'nowhere', '--out', tmp_path/'out', '--method', 'chemcam', '--quiet')
    assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr
    assert 'b_ccs.csv' in r.stderr and 'nowhere: no such file or folder' in r.stderr
    assert _files(tmp_path/'out') == ['a_ccs.csv', 'c_ccs.csv']  # the good files are done
    r = _cli(src, '--out', tmp_path/'strict', '--method', 'chemcam', '--strict', '--quiet')
    assert r.returncode == 2 and 'b_ccs.csv' in r.stderr
    assert _files(tmp_path/'strict') == ['a_ccs.csv']  # written before the bad file: kept, nothing partial

@pytest.mark.slow  # starts a Python that imports torch: seconds
@needs_real_data(MARS_CCS)
def test_refuses_to_overwrite_inputs(fixture, tmp_path):
    src = tmp_path/'in'; src.mkdir(); shutil.copy(REAL_MARS_CCS, src/'x_ccs.csv')
    before = (src/'x_ccs.csv').read_bytes()
    r = _cli(src, '--out', src, '--method', 'chemcam', '--quiet')
    assert r.returncode == 2 and 'never overwrites its inputs' in r.stderr
    assert (src/'x_ccs.csv').read_bytes() == before and _files(src) == ['x_ccs.csv']

def test_rerun_skips_done_and_finishes_identically(fixture, tmp_path):
    _, camp, run = fixture
    full = clean_paths([camp], tmp_path/'full', model=run)
    part = tmp_path/'part'
    clean_paths([camp], part, model=run)
    done = sorted(part.rglob('*_ccs.csv'))
    for p in done[::2]: p.unlink()  # as if killed midway: some outputs never written
    (done[1].parent/f'.{done[1].name}.abc.tmp').write_text('a temporary file left by a kill')
    rep = clean_paths([camp], part, model=run)
    assert len(rep.written) == len(done[::2]) and len(rep.skipped) == len(done) - len(done[::2])
    for p in sorted((tmp_path/'full').rglob('*_ccs.csv')):
        assert p.read_bytes() == (part/p.relative_to(tmp_path/'full')).read_bytes()
    with pytest.raises(CleanError, match='not made by this method'): clean_paths([camp], part, method='chemcam')

def test_out_of_range_warnings(fixture, tmp_path):
    _, camp, run = fixture
    raw = load_campaign(camp, cache=False)
    src = tmp_path/'campaign_kw'/'t1'; src.mkdir(parents=True)  # a copy of simulated data in kW: 1000x the unit
    write_ccs_csv(src/'2015_01_01_000000_ccs.csv', raw.wavelengths, 1000 * raw.spectra[:6], {'DISTT': 1600.0})
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        rep = clean_paths([src.parent], tmp_path/'out', model=run)
    msgs = [str(x.message) for x in w if issubclass(x.category, OutOfRangeWarning)]
    assert any('2015_01_01_000000_ccs.csv' in m and 'another intensity unit' in m for m in msgs), msgs
    assert len(rep.warned) >= 1
    s = read_data_summary(run)
    assert out_of_range(s, raw.spectra[:10], raw.wavelengths, True) == []
    grid = out_of_range(s, raw.spectra[:2, :6000], raw.wavelengths[:6000])
    assert len(grid) == 1 and 'wavelength grid 6000 channels' in grid[0]

def test_learned_bf16_vs_fp32(fixture):
    "What bf16 changes in a cleaned output, within its stated relative tolerance (bf16 forced: runs on any CPU)"
    _, camp, run = fixture
    raw = load_campaign(camp, cache=False)
    a = clean(raw.spectra[:8], raw.wavelengths, model=run, precision='fp32')
    b = clean(raw.spectra[:8], raw.wavelengths, model=run, precision='bf16')
    assert 0 < np.abs(a - b).max() < RELATIVE_TOLERANCE['bf16'] * np.abs(a).max()

@needs_real_data(MARS_CCS)
def test_help_names_every_baseline_and_each_one_cleans_a_file(tmp_path, capsys):
    "`clean --help` lists every method of BASELINES, and `--method NAME` works on a real Mars file"
    from spectroscopynet.baselines import BASELINES
    with pytest.raises(SystemExit): main(['clean', '--help'])
    flat = ' '.join(capsys.readouterr().out.split())
    for name in BASELINES: assert f' {name},' in flat or f' {name} ' in flat, (name, flat)
    raw = read_ccs_csv(REAL_MARS_CCS).shots
    for name in ('none', 'wavelet_arpls'):
        main(['clean', str(REAL_MARS_CCS), '--method', name, '--out', str(tmp_path/name), '--quiet'])
        out = read_ccs_csv(tmp_path/name/REAL_MARS_CCS.name).shots
        assert out.shape == raw.shape and np.isfinite(out).all()
        if name == 'none': np.testing.assert_allclose(out, raw, rtol=1e-6)
        else: assert np.abs(out - raw).max() > 1e-3 * np.abs(raw).max()  # it did clean
