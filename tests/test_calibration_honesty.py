"""Honesty checks: folds are standards (not spectra), and a shuffled-composition control is no better than the spread."""
import numpy as np
from spectroscopynet.calibration import (fold_train_masks, loso_folds, loso_linear_head, loso_ridge, loso_pls,
                                         shuffle_between_standards)

def _toy(n_standards=30, n_locations=3, n_channels=80, seed=0, loc_noise=2.0):
    rng = np.random.default_rng(seed)
    comp = rng.dirichlet(np.full(8, 2.0), n_standards) * 100
    idx = np.repeat(np.arange(n_standards), n_locations)
    X = comp[idx] @ rng.gamma(0.5, 1, (8, n_channels)) + rng.normal(0, loc_noise, (len(idx), n_channels))
    return X, comp[idx], np.array([f't{i:02d}' for i in idx])

def test_fold_masks_hold_out_whole_standards():
    g = np.array(['b', 'a', 'b', 'c', 'a', 'c', 'c'])
    train = fold_train_masks(g)
    names, fold = loso_folds(g)
    for f, name in enumerate(names):
        assert not train[f, g == name].any() and train[f, g != name].all()
    assert (train.sum(0) == len(names) - 1).all()  # each row is held out by exactly one fold

def test_standards_not_spectra_are_left_out():
    "Spectra that only identify their standard (random compositions): leave-one-spectrum-out would memorise them"
    rng = np.random.default_rng(1)
    n, L = 40, 3
    ident = rng.normal(0, 1, (n, 200))
    X = np.repeat(ident, L, 0) + rng.normal(0, 0.01, (n * L, 200))
    Y = np.repeat(rng.dirichlet(np.full(8, 2.0), n) * 100, L, 0)
    g = np.repeat(np.arange(n), L)
    by_standard = np.sqrt(((loso_ridge(X, Y, g).pred - Y)**2).mean(0)) / Y.std(0)
    by_spectrum = np.sqrt(((loso_ridge(X, Y, np.arange(n * L)).pred - Y)**2).mean(0)) / Y.std(0)
    assert (by_standard > 0.9).all() and (by_spectrum < 0.2).all(), (by_standard, by_spectrum)

def test_shuffled_compositions_give_spread():
    X, Y, g = _toy()
    Ys = shuffle_between_standards(Y, g, seed=3)
    for pred in (loso_linear_head(X, Ys, g, epochs=20, batch_size=16, decay_after=8), loso_ridge(X, Ys, g).pred,
                 loso_pls(X, Ys, g, n_components=5)):
        ratio = np.sqrt(((pred - Ys)**2).mean(0)) / Ys.std(0)
        assert (ratio > 0.8).all(), ratio
    ratio_true = np.sqrt(((loso_ridge(X, Y, g).pred - Y)**2).mean(0)) / Y.std(0)
    assert (ratio_true < 0.5).all(), ratio_true
