"""Real raw spectra of other instruments (issue #21 parts 4-5): train works on every file of the four new real folders
(or says clearly why a file cannot train the siamese objective), the classical methods and a learned run clean every
file in its own format, saturated values never enter a training window, and the chapter's checks can fail.

Reads the real data folder ($SPECTROSCOPYNET_REAL_DATA, else shared/data/real beside the repository); skips, saying
where to put it, where it is absent. The check functions' own tests run without real data."""
import warnings
from pathlib import Path
import numpy as np
import pytest
from _real import needs_real_data, real_files
from spectroscopynet.runtime import SpectroscopyNetError
from spectroscopynet.baselines import synthetic_libs_spectra
from spectroscopynet.realraw import (line_free_channels, noise_sigma, zero_in_line_free, background_below_raw, line_areas,
                                     areas_agree)

FOLDERS = {'soils_raw_171': ['libs_spec_soils.csv.gz'],
           'csa_bhvo2_raw': ['csa_bhvo2_1000pulse_spectrum.csv', 'csa_bhvo2_200pulse_spectrum.csv'],
           'jsc_basalts_raw': ['example_data.csv'],
           'jsc_oceanoptics_raw': ['TestBasalt_UV_01.txt', 'TestBasalt_VIS_01.txt', 'TestBasalt_NIR_01.txt']}
FILES = [f'{d}/{f}' for d, fs in FOLDERS.items() for f in fs]

def _train(data, tmp_path, *overrides):
    from spectroscopynet.train import train
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # no compositions: training does not need them
        return train(data, 'tiny', tmp_path/'run', progress=False, overrides=list(overrides))

@pytest.mark.parametrize('rel', FILES)
def test_train_on_every_real_raw_file(rel, tmp_path):
    "The siamese objective trains where a file has >= 3 targets; otherwise a TrainingDataError says why and what to do"
    from spectroscopynet.formats import read_spectra
    from spectroscopynet.train import TrainingDataError, load_run
    path, = real_files(rel)
    n_targets = len(set(read_spectra(path).names)) if read_spectra(path).format != 'oceanoptics' else 1
    if n_targets >= 3:
        net, cfg = load_run(_train(path, tmp_path, 'objective=siamese'))
        assert cfg.model.n_channels == read_spectra(path).grid.n_channels
    else:
        with pytest.raises(TrainingDataError, match=r'target\(s\); the triplet loss needs >= 3 \(train on a campaign'):
            _train(path, tmp_path, 'objective=siamese')
        if read_spectra(path).format == 'oceanoptics':  # 10 repeated shots: noise2noise trains on them
            assert (_train(path, tmp_path, 'objective=noise2noise')/'DONE').exists()

@needs_real_data('soils_raw_171/libs_spec_soils.csv.gz')
def test_soils_clipped_values_never_in_a_window():
    from spectroscopynet.train import prepare_data, TrainConfig, make_step_parts
    from spectroscopynet.model import SiameseSignalNoiseNet
    path, = real_files('soils_raw_171/libs_spec_soils.csv.gz')
    cfg = TrainConfig.cpu(objective='siamese')  # the siamese loop's window sampler
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        d = prepare_data(path, cfg)
    assert d.clipped is not None and d.clipped.sum() > 0 and (d.spectra[d.clipped] >= 65535).all()
    assert [b - a for a, b in d.runs] == [6243, 189, 138, 99] and len(d.segments) == 4
    _, sampler, _ = make_step_parts(cfg, SiameseSignalNoiseNet(cfg.model), d, 32, 0)
    clipped = d.clipped[d.train_rows]
    for _ in range(200):
        *rows, start = sampler.sample()
        assert start + cfg.crop <= 6243  # the only run as long as a window
        assert not clipped[np.concatenate(rows), start:start + cfg.crop].any()

@pytest.fixture(scope='module')
def soils_run(tmp_path_factory):
    "A tiny siamese run trained on the real soils (a convolutional network: it takes any grid; the default pipeline does not)"
    path, = real_files('soils_raw_171/libs_spec_soils.csv.gz')
    return _train(path, tmp_path_factory.mktemp('soils'), 'objective=siamese')

CLEAN_FILES = {'csa_bhvo2_raw/csa_bhvo2_200pulse_spectrum.csv': 'csa_bhvo2_200pulse_spectrum.csv',
               'jsc_basalts_raw/example_data.csv': 'example_data.csv',
               'jsc_oceanoptics_raw': 'TestBasalt_UV_01.txt'}  # input -> an output file (Ocean Optics: the acquisition's folder)

@pytest.mark.parametrize('rel', CLEAN_FILES)
def test_clean_real_raw_file_in_its_format(rel, soils_run, tmp_path):
    "arPLS, wavelet + arPLS and the soils run clean the file; the output reads back in the input's format with provenance"
    from spectroscopynet.cli import main
    from spectroscopynet.formats import read_spectra
    src, = real_files(rel)
    path = src/CLEAN_FILES[rel] if src.is_dir() else src
    for method in ('arpls', 'wavelet_arpls', 'learned'):
        out = tmp_path/method
        args = ['--model', str(soils_run)] if method == 'learned' else ['--method', method]
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # the soils run warns on another instrument's grid
            main(['clean', str(src), *args, '--out', str(out), '--quiet'])
        raw, back = read_spectra(path), read_spectra(out/path.name)
        assert back.format == raw.format and back.spectra.shape == raw.spectra.shape and np.isfinite(back.spectra).all()
        assert back.metadata.get('CLEAN_METHOD') == method
        if method != 'learned': assert np.abs(back.spectra - raw.spectra).max() > 1e-3 * np.abs(raw.spectra).max()

# ---- the checks can fail (no real data needed)
@pytest.fixture(scope='module')
def synthetic():
    g = np.arange(250., 800., 0.05)
    s = synthetic_libs_spectra(g, n=3, noise=0.002, seed=11)
    lines = s['lines'] * ~line_free_channels(g)
    raw = lines + s['continuum'] + s['dark'] + np.random.default_rng(0).normal(0, 0.002, lines.shape)
    return g, raw, raw - s['continuum'] - s['dark']

def test_zero_check_passes_truth_fails_residual_background(synthetic):
    g, raw, truth = synthetic
    assert zero_in_line_free(truth, raw, g)['ok']
    assert not zero_in_line_free(truth + 5 * noise_sigma(raw, g), raw, g)['ok']
    assert not zero_in_line_free(raw, raw, g)['ok']  # nothing removed: the continuum is there

def test_background_check_fails_overcut(synthetic):
    g, raw, truth = synthetic
    assert background_below_raw(truth, raw, g)['ok'] and not background_below_raw(truth - 0.05, raw, g)['ok']

def test_line_areas_agreement_can_fail(synthetic):
    g, _, truth = synthetic
    a = line_areas(truth + np.exp(-0.5 * ((g - 393.4) / 0.1)**2), g)
    assert areas_agree(a, 1.1 * a, rtol=0.2)['ok'].all() and not areas_agree(a, 1.5 * a, rtol=0.2)['ok'].any()
    n = line_areas(np.vstack([truth[0], 3 * truth[0]]), g, normalise=True)
    np.testing.assert_allclose(n.iloc[0], n.iloc[1])  # normalised areas ignore the overall level
