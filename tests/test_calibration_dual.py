"""The batched dual SGD head reproduces a plain per-fold PyTorch loop (the paper's recipe, one head per fold)."""
import numpy as np, torch
from spectroscopynet.calibration import loso_linear_head, loso_linear_head_primal, fold_train_masks

def _toy(n_standards=6, n_locations=3, n_channels=50, seed=0):
    rng = np.random.default_rng(seed)
    comp = rng.dirichlet(np.full(8, 2.0), n_standards) * 100
    idx = np.repeat(np.arange(n_standards), n_locations)
    X = comp[idx] @ rng.gamma(0.5, 1, (8, n_channels)) + 300 + rng.normal(0, 3, (len(idx), n_channels))
    return X, comp[idx], np.array([f't{i}' for i in idx])

def test_dual_equals_primal_unequal_groups():
    X, Y, g = _toy(seed=11)
    keep = np.r_[0, 2:len(g)]  # standard t0 has 2 locations, the others 3
    X, Y, g = X[keep], Y[keep], g[keep]
    kw = dict(epochs=8, batch_size=5, decay_after=3, lr=1.0, seed=7)
    dual, A = loso_linear_head(X, Y, g, dtype=torch.float64, return_coefs=True, **kw)
    primal = loso_linear_head_primal(X, Y, g, **kw)
    np.testing.assert_allclose(dual, primal, rtol=1e-9, atol=1e-9)
    train = fold_train_masks(g)
    assert (A.permute(1, 0, 2)[torch.as_tensor(~train)] == 0).all()  # held-out rows never touched their fold's head

def test_dual_float32_close_to_float64():
    X, Y, g = _toy(seed=3, n_standards=8)
    kw = dict(epochs=10, batch_size=8, decay_after=4)
    p64 = loso_linear_head(X, Y, g, dtype=torch.float64, **kw)
    p32 = loso_linear_head(X, Y, g, precision='fp32', **kw)
    assert np.abs(p32 - p64).max() < 1e-3 * np.abs(p64).max()

def test_prediction_does_not_depend_on_held_out_features():
    "Changing a held-out standard's spectra changes nothing in its own fold's head (only its input to that head)"
    X, Y, g = _toy(seed=5, n_standards=7)
    kw = dict(epochs=6, batch_size=6, decay_after=2, dtype=torch.float64, return_coefs=True)
    _, A1 = loso_linear_head(X, Y, g, **kw)
    Y2 = Y.copy(); Y2[g == 't3'] += 50  # the held-out standard's labels
    _, A2 = loso_linear_head(X, Y2, g, **kw)
    f = 3  # fold of 't3' (sorted names t0..t6)
    torch.testing.assert_close(A1[:, f], A2[:, f])

def _reference():
    import sys; from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]/'benchmarks'))
    from sgd_head_reference import loso_linear_head_reference
    return loso_linear_head_reference

def test_fused_head_matches_the_previous_implementation_per_precision():
    "Tolerances (max |prediction difference|, relative to the largest |prediction|): fp32 1e-5; bf16 chunk products (bf16 inputs and output, fp32 accumulation) 3e-3"
    X, Y, g = _toy(seed=8, n_standards=9)
    kw = dict(epochs=12, batch_size=5, decay_after=5, chunk=3)
    old = _reference()(X, Y, g, **kw)
    scale = np.abs(old).max()
    assert np.abs(loso_linear_head(X, Y, g, precision='fp32', **kw) - old).max() < 1e-5 * scale
    bf16 = loso_linear_head(X, Y, g, precision='bf16', **kw)
    assert np.abs(bf16 - old).max() < 3e-3 * scale
    np.testing.assert_allclose(loso_linear_head(X, Y, g, dtype=torch.float64, precision='bf16', **kw),  # float64: never bf16
                               _reference()(X, Y, g, dtype=torch.float64, **kw), rtol=1e-10, atol=1e-10)
