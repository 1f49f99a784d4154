"""The rows that make a calibration table answer the question: oracle, normalisations, mean predictor, paired differences."""
import numpy as np, pandas as pd, pytest
from spectroscopynet.calibration import (paired_bootstrap, bootstrap_rmse, loso_mean, normalise_total, spectrometer_index,
                                         representations, calibrate, MEAN_PREDICTOR)
from spectroscopynet.data import load_campaign, chemcam_mask, shot_averages
from spectroscopynet.simulate import simulate_campaign, load_truth

def test_paired_interval_sees_a_consistent_win_that_separate_intervals_miss():
    rng = np.random.default_rng(3); g = np.repeat(np.arange(15), 2); Y = np.zeros((30, 1))
    e = rng.normal(0, 1, (30, 1)) * rng.uniform(0.2, 3, (15, 1)).repeat(2, 0)  # standards of very different difficulty
    a, b = bootstrap_rmse(0.85 * e, Y, g, 500), bootstrap_rmse(e, Y, g, 500)
    d = paired_bootstrap(0.85 * e, e, Y, g, 500)
    assert np.isclose(d['diff'][0], a.rmse[0] - b.rmse[0])
    assert a.hi[0] > b.lo[0] and d.hi[0] < 0  # overlapping intervals, a clear paired difference
    assert (paired_bootstrap(e, 0.85 * e, Y, g, 500).lo > 0).all()  # antisymmetric

def test_paired_interval_covers_zero_for_exchangeable_predictors():
    rng = np.random.default_rng(4); g = np.repeat(np.arange(40), 3); Y = rng.normal(0, 1, (120, 3))
    hits = [((d.lo < 0) & (d.hi > 0)).mean() for d in (paired_bootstrap(Y + rng.normal(0, 1, Y.shape), Y + rng.normal(0, 1, Y.shape),
                                                                      Y, g, 300, seed=s) for s in range(5))]
    assert np.mean(hits) > 0.7, hits

def test_mean_predictor_never_sees_its_standard():
    rng = np.random.default_rng(0); g = np.repeat(list('abcdef'), 2); Y = rng.normal(size=(12, 2))
    p = loso_mean(Y, g)
    for s in 'abcdef': np.testing.assert_allclose(p[g == s], np.broadcast_to(Y[g != s].mean(0), (2, 2)))

def test_normalisations():
    x = np.abs(np.random.default_rng(0).normal(size=(4, 6144))) + 1
    from spectroscopynet.data import chemcam_wavelengths
    b = spectrometer_index(chemcam_wavelengths())
    assert np.bincount(b).tolist() == [2048] * 3
    other = np.r_[np.linspace(200, 300, 500), np.linspace(400, 500, 300)]  # another instrument: its own 2 segments
    assert np.bincount(spectrometer_index(other)).tolist() == [500, 300]
    n3, n1 = normalise_total(x, b, 'norm3'), normalise_total(x, b, 'norm1')
    np.testing.assert_allclose([n3[:, b == k].sum(1) for k in range(3)], 1)
    np.testing.assert_allclose(n1.sum(1), 1); np.testing.assert_allclose(n1 * x.sum(1, keepdims=True), x)
    with pytest.raises(Exception, match='norm2'): normalise_total(x, b, 'norm2')

@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    d = simulate_campaign(tmp_path_factory.mktemp('c')/'tiny', 'tiny', seed=1, progress=False)
    return d, load_campaign(d)

def test_oracle_is_the_averaged_truth(tiny):
    d, c = tiny
    reps = representations(c, ('none',), folder=d)
    assert list(reps) == ['raw', 'raw norm3', 'raw norm1', 'oracle']
    clean = shot_averages(c, spectra=load_truth(c, folder=d, components=False).clean).spectra[:, chemcam_mask(c.wavelengths)]
    np.testing.assert_allclose(reps['oracle'].spectra, clean, rtol=1e-5, atol=1e-3)
    assert 'oracle' not in representations(c, ('none',), oracle=False, folder=d)

def test_calibrate_tables(tiny):
    d, c = tiny
    res = calibrate(d, methods=('none', 'snip'), regressors=('ridge',), n_boot=100)
    reps = list(pd.unique(res.rmse.representation))
    assert reps == ['raw', 'raw norm3', 'raw norm1', 'snip', 'oracle', MEAN_PREDICTOR]
    refs = set(res.paired.reference); assert {'raw', 'oracle', MEAN_PREDICTOR} <= refs
    r = res.rmse.set_index(['representation', 'oxide']).rmse
    p = res.paired.set_index(['representation', 'reference', 'oxide'])['diff']
    for ox in ('SiO2', 'CaO'): assert np.isclose(p[('oracle', 'raw', ox)], r[('oracle', ox)] - r[('raw', ox)])
    assert any('oracle beats raw' in v for v in res.verdicts())
    assert res.differences('oracle', 'ridge').shape == (4, 8)  # raw, its two normalisations, snip
