"""Every classical baseline: shapes and grid kept, no NaN on odd input, continuum removed, lines kept, real
cleaned spectra nearly a fixed point of the ChemCam chain."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from spectroscopynet.baselines import (BASELINES, BaselineInputError, chemcam_clean, signal_recovery_error,
                                       starlet, synthetic_libs_spectra)

from spectroscopynet.data import REAL_BHVO2_SPECTRA, chemcam_mask, chemcam_wavelengths, read_ccs_csv, read_spectrum_table, REAL_MARS_CCS
from _real import real_files, MARS_CCS, BHVO2_TABLES

@pytest.fixture(scope='module')
def grid():
    "The real ChemCam grid and its kept channels"
    wavelengths = chemcam_wavelengths()
    return wavelengths, chemcam_mask(wavelengths)

@pytest.fixture(scope='module')
def real_cleaned():
    "5 real cleaned spectra (4 BHVO-2 locations + the Mars CCS mean); skips, saying where to put them, where absent"
    real_files(MARS_CCS, *BHVO2_TABLES)
    real = np.vstack([read_spectrum_table(p).spectra for p in REAL_BHVO2_SPECTRA] + [read_ccs_csv(REAL_MARS_CCS).mean])
    return real.astype(np.float64)

@pytest.fixture(scope='module')
def synth(grid):
    return synthetic_libs_spectra(grid[0], n=3, seed=7)

CLEANERS = [m for m in BASELINES if m != 'none']

@pytest.mark.parametrize('name', list(BASELINES))
def test_shapes_and_dtype(name, grid, synth):
    f = BASELINES[name]
    assert f(synth['raw'], grid[0]).shape == (3, 6144)
    assert f(synth['raw'][0], grid[0]).shape == (6144,)
    np.testing.assert_allclose(f(synth['raw'][:1], grid[0])[0], f(synth['raw'][0], grid[0]))
    with pytest.raises(BaselineInputError, match='expected'): f(np.zeros((2, 6143)), grid[0])
    with pytest.raises(BaselineInputError, match='wavelengths'): f(synth['raw'], grid[0][:100])

@pytest.mark.parametrize('name', list(BASELINES))
def test_no_nan_on_zeros_and_negatives(name, grid):
    odd = np.zeros((4, 6144)); odd[1] = -3.; odd[2, ::5] = -1e12; odd[3, ::13] = 1e15
    out = BASELINES[name](odd, grid[0])
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[0], 0, atol=1e-9)

@pytest.mark.parametrize('name', CLEANERS)
def test_removes_continuum_and_dark_keeps_lines(name, grid, synth):
    wavelengths, kept = grid
    raw_error = signal_recovery_error(synth['raw'], synth['lines'], kept)
    error = signal_recovery_error(BASELINES[name](synth['raw'], wavelengths), synth['lines'], kept)
    assert raw_error > 1 and error < 0.25, (name, raw_error, error)
    pure = BASELINES[name](synth['lines'], wavelengths)
    assert signal_recovery_error(pure, synth['lines'], kept) < 0.1

def test_chemcam_real_cleaned_spectra_nearly_fixed_point(grid, real_cleaned):
    (wavelengths, kept), real = grid, real_cleaned
    again = chemcam_clean(real, wavelengths)
    change = np.linalg.norm((again - real)[:, kept], axis=1) / np.linalg.norm(real[:, kept], axis=1)
    assert (change < 0.03).all(), change

def test_chemcam_dark_frame_is_subtracted(grid, synth):
    wavelengths = grid[0]
    a = chemcam_clean(synth['raw'], wavelengths, dark=np.zeros(6144))
    b = chemcam_clean(synth['raw'] + 1.0, wavelengths, dark=np.ones(6144))
    np.testing.assert_allclose(a, b, atol=1e-9)
    np.testing.assert_allclose(chemcam_clean(synth['raw'], wavelengths, response=np.full(6144, 2.)), 2 * a, rtol=1e-9, atol=1e-12)

@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_starlet_planes_sum_back(n_planes, seed):
    y = np.random.default_rng(seed).normal(size=(2, 300))
    np.testing.assert_allclose(starlet(y, n_planes).sum(-2), y, atol=1e-10)

def test_signal_recovery_error_definition():
    clean = np.array([[3., 4., 100.], [0., 1., 0.]])
    cleaned = np.array([[0., 0., 0.], [0., 2., 0.]])
    assert signal_recovery_error(cleaned, clean, kept=[0, 1]) == pytest.approx((1. + 1.) / 2)
    assert signal_recovery_error(clean, clean) == 0.

@pytest.mark.parametrize('name', list(BASELINES))
def test_input_left_untouched(name, grid, synth):
    "No method writes into the caller's array (float64 input is not copied by `as_spectra_batch`)"
    raw = synth['raw'].astype(np.float64); before = raw.copy()
    BASELINES[name](raw, grid[0]); BASELINES[name](raw[0], grid[0])
    np.testing.assert_array_equal(raw, before)
