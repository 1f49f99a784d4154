"""Fast checks of the figures chapter's plotting functions on tiny stand-in arrays (no rendering)."""
import subprocess, sys
import numpy as np, pandas as pd
import pytest
from spectroscopynet.figures import (plot_linear_head, plot_spectrum_patches, plot_full_spectrum, plot_one_to_one,
                                     plot_rmse_by_oxide, long_predictions, rmse_pivot, claims_summary, pick_targets,
                                     figure_title, report_markdown, save_figure, line_windows)
from spectroscopynet.calibration import bootstrap_rmse
from spectroscopynet.data import OXIDES, MASKED_BANDS_NM

SRC = "simulated campaign 'tiny' seed 0, tiny config"

@pytest.fixture(scope='module')
def spectra():
    rng = np.random.default_rng(0)
    wl = np.concatenate([np.linspace(240.1, 342.2, 60), np.linspace(382.1, 469.3, 60), np.linspace(474.0, 906.5, 60)])
    truth = np.exp(-0.5*((wl - 288.2)/0.8)**2)[None]*rng.uniform(0.5, 2, (5, 1))
    raw = truth + 0.3 + 0.01*rng.standard_normal(truth.shape)
    return dict(wl=wl, raw=raw, truth=truth, chemcam=raw - 0.25, learned=truth.copy(),
                targets=np.array(['a', 'mix10', 'b', '25tio2', 'sarm17']))

@pytest.fixture(scope='module')
def calibration():
    "Wide predictions (the calibration chapter's predictions.csv) of three representations, and their rmse table"
    rng = np.random.default_rng(1); truth = np.repeat(10.*np.arange(6)[:, None]*np.ones(8), 2, 0)
    groups = np.repeat([f's{t}' for t in range(6)], 2); preds, rmse = [], []
    for rep, err in [('raw', 3.), ('chemcam', 2.), ('learned', 1.)]:
        pred = truth + err*rng.standard_normal(truth.shape)
        preds.append(pd.concat([pd.DataFrame(dict(representation=rep, regressor='sgd', target=groups)),
                                pd.DataFrame(truth, columns=OXIDES).add_prefix('true_'),
                                pd.DataFrame(pred, columns=OXIDES).add_prefix('pred_')], axis=1))
        rmse.append(bootstrap_rmse(pred, truth, groups, 100).assign(representation=rep, regressor='sgd', oxide=OXIDES))
    return pd.concat(preds, ignore_index=True), pd.concat(rmse, ignore_index=True)

def test_linear_head():
    f = plot_linear_head(source=SRC)
    assert len(f.axes) == 1 and '5485 inputs' in figure_title(f) and SRC in figure_title(f)

def test_pick_targets_prefers_the_papers_standards():
    assert pick_targets(['a', 'mix10', 'b', '25tio2', 'sarm17']) == ['sarm17', '25tio2', 'mix10']
    assert pick_targets(['z', 'y']) == ['y', 'z']

def test_spectrum_patches(spectra):
    s = spectra
    f = plot_spectrum_patches(s['wl'], s['raw'], s['chemcam'], s['learned'], s['targets'], truth=s['truth'], source=SRC)
    assert len(f.axes) == 6 and SRC in figure_title(f)
    assert f.axes[0].get_title().endswith('sarm17, ChemCam-style') and f.axes[3].get_title().endswith('sarm17, learned')
    colours = [l.get_color() for l in f.axes[0].lines[:3]]
    assert colours == ['C0', 'C1', 'k']  # raw blue, cleaned orange, truth black

def test_full_spectrum(spectra):
    s = spectra
    f = plot_full_spectrum(s['wl'], s['raw'][3], {'ChemCam-style': s['chemcam'][3], 'learned': s['learned'][3]}, '25tio2',
                           truth=s['truth'][3], masked_bands_nm=MASKED_BANDS_NM, source=SRC)
    assert len(f.axes) == 6 and '25tio2' in figure_title(f) and SRC in figure_title(f)
    assert [a.get_title() for a in f.axes[:3]] == ['UV, ChemCam-style', 'VIO, ChemCam-style', 'VNIR, ChemCam-style']

def test_long_predictions_and_one_to_one(calibration):
    wide, rmse = calibration
    p = long_predictions(wide)
    assert len(p) == len(wide)*8 and list(p.columns) == ['representation', 'target', 'oxide', 'true', 'predicted']
    raw_si = p[(p.representation == 'raw') & (p.oxide == 'SiO2')]
    assert np.isclose(np.sqrt(((raw_si.predicted - raw_si.true)**2).mean()),
                      rmse.query("representation == 'raw' and oxide == 'SiO2'").rmse.item())
    f = plot_one_to_one(p, SRC)
    assert len(f.axes) == 3*8 and SRC in figure_title(f)
    assert f.axes[0].get_legend().get_texts()[0].get_text().startswith('RMSE')

def test_rmse_bars_and_tables(calibration):
    r = calibration[1]
    f = plot_rmse_by_oxide(r, SRC)
    assert len(f.axes) == 1 and len(f.axes[0].patches) == 24 and SRC in figure_title(f)
    assert rmse_pivot(r).shape == (9, 3)
    assert 'on 8 of 8 oxides' in claims_summary(r)

def test_line_windows(spectra):
    w = line_windows(spectra['wl'], spectra['truth'].mean(0), n=1)
    assert len(w) == 1 and w[0][0] < 288.2 < w[0][1]

def test_report_and_png(tmp_path, calibration):
    r = calibration[1]
    md = report_markdown(dict(data='data', simulated=True, scale='tiny', seed=0, config={}, source=SRC), r)
    assert '**SIMULATED DATA**' in md and SRC in md and '| sgd |' in md
    p = save_figure(plot_rmse_by_oxide(r, SRC), tmp_path/'f.png')
    assert p.read_bytes()[:4] == b'\x89PNG' and [q.name for q in tmp_path.iterdir()] == ['f.png']

def test_cli_needs_out():
    r = subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'reproduce'],
                       capture_output=True, text=True)
    assert r.returncode == 2 and '--out' in r.stderr
