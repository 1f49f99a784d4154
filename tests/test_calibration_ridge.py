"""Closed-form grouped leave-one-out ridge (and its nested penalty choice) against scikit-learn refits."""
import numpy as np
from sklearn.linear_model import Ridge
from spectroscopynet.calibration import loso_ridge, _ridge_features, loso_folds, loso_pls

def _toy(n_standards=9, n_locations=3, n_channels=70, seed=0, noise=30):
    rng = np.random.default_rng(seed)
    comp = rng.dirichlet(np.full(8, 2.0), n_standards) * 100
    idx = np.repeat(np.arange(n_standards), n_locations)
    S = comp[idx] @ rng.gamma(0.5, 1, (8, n_channels))
    X = S + 0.02 * S**1.4 + rng.normal(0, noise, S.shape)
    return X, comp[idx], np.array([f't{i:02d}' for i in idx])

def _sk_loso(Z, Y, g, alpha):
    out = np.zeros_like(Y)
    for s in np.unique(g):
        te = g == s
        out[te] = Ridge(alpha=alpha, fit_intercept=False).fit(Z[~te], Y[~te]).predict(Z[te])
    return out

def test_loso_ridge_matches_sklearn_and_nested_choice():
    X, Y, g = _toy(seed=2)
    X, Y, g = X[1:], Y[1:], g[1:]  # unequal standards
    alphas = np.logspace(-3, 1, 5)
    res = loso_ridge(X, Y, g, alphas)
    Z = _ridge_features(X)
    for i, a in enumerate(alphas): np.testing.assert_allclose(res.pred_by_alpha[i], _sk_loso(Z, Y, g, a), rtol=1e-6, atol=1e-6)
    for f, s in enumerate(np.unique(g)):
        tr = g != s
        sse = [((_sk_loso(Z[tr], Y[tr], g[tr], a) - Y[tr])**2).sum(0) for a in alphas]
        np.testing.assert_array_equal(res.chosen[f], np.argmin(sse, 0))
    fold = loso_folds(g)[1]
    np.testing.assert_allclose(res.pred, res.pred_by_alpha[res.chosen[fold], np.arange(len(Y))[:, None], np.arange(8)])

def test_pls_holds_out_standards():
    X, Y, g = _toy(seed=4, n_standards=7, n_locations=2)
    from sklearn.cross_decomposition import PLSRegression
    p = loso_pls(X, Y, g, n_components=3)
    te = g == 't02'
    ref = PLSRegression(3, scale=False).fit(X[~te], Y[~te]).predict(X[te])
    np.testing.assert_allclose(p[te], ref, rtol=1e-8, atol=1e-8)

def test_one_standard_error_rule_never_picks_a_smaller_penalty():
    X, Y, g = _toy(seed=5, n_standards=12, noise=5)
    lo, se = (loso_ridge(X, Y, g, np.logspace(-5, 1, 7), penalty_rule=r).chosen for r in ('min', '1se'))
    assert (se >= lo).all()

def test_one_standard_error_rule_on_a_flat_error_curve():
    "Inner errors (3 penalties, 6 standards): a noisy minimum at the smallest penalty that the larger ones match within one se"
    from spectroscopynet.calibration import choose_penalty
    F = 6; off = ~np.eye(F, dtype=bool)  # each outer fold f sees the other 5 standards
    inner = np.zeros((3, F, F, 1))
    for i, pattern in enumerate([[0.6, 1.4, 0.6, 1.4, 1.0], [1.1] * 5, [1.15] * 5]):  # means 1.0 (se 0.179), 1.1, 1.15
        inner[i, off] = np.tile(pattern, F)[:, None]
    assert (choose_penalty(inner, 'min') == 0).all()
    assert (choose_penalty(inner, '1se') == 2).all()  # 1.2 <= 1.0 + 0.2 -> the largest penalty within one se
    sharp = inner.copy(); sharp[2] *= 2  # 2.3: outside one standard error
    assert (choose_penalty(sharp, '1se') == 1).all()
    np.testing.assert_raises(Exception, choose_penalty, inner, 'median')
