"""The consistency check of the loss chapter on the simulator's tiny campaign: the truth must score lowest."""
import numpy as np, pytest
from spectroscopynet.data import load_campaign, mask_chemcam_bands
from spectroscopynet.simulate import simulate_campaign, load_truth
from spectroscopynet.loss import consistency_check, is_consistent, consistency_summary, DECOMPOSITIONS

@pytest.fixture(scope='module')
def table(tmp_path_factory):
    folder = simulate_campaign(tmp_path_factory.mktemp('sim')/'tiny', scale='tiny', seed=0, progress=False)
    c = load_campaign(folder); t = load_truth(c, folder=folder)
    (y, kept), m = mask_chemcam_bands(c.spectra, c.wavelengths), lambda a: a[:, mask_chemcam_bands(a, c.wavelengths)[1]]
    return consistency_check(y, m(t.clean), m(t.components['dark']), m(t.components['continuum']), c.target, c.location,
                             objectives={'bounded': ('bounded', None), 'stationary': ('stationary', None),
                                         'stationary, no push': ('stationary', {'push': 0.})}, n_triplets=32)

def test_every_decomposition_is_scored(table):
    assert list(table.index) == list(DECOMPOSITIONS)
    assert np.isfinite(table[['bounded', 'stationary']].to_numpy()).all()

def test_bounded_default_is_not_consistent(table):
    ok, margin, worst = is_consistent(table, 'bounded')
    assert not ok, (margin, worst)   # today's default prefers a wrong answer (a shrunken signal) to the truth

# dark traded against the continuum at the same sum (added with the denoising work): the stationary form cannot tell
# the two apart, so the truth does not beat these by a margin either way (on the tiny campaign, seed 0, 2026-12-05:
# dark × 0.5 scored 0.1 % below the truth, dark × 1.5 2.8 % above)
TRADES = [k for k in DECOMPOSITIONS if 'same sum' in k]

def test_stationary_default_is_consistent_against_the_original_decompositions(table):
    assert len(TRADES) == 2
    ok, margin, worst = is_consistent(table.drop(index=TRADES), 'stationary')
    assert ok, (margin, worst)
    assert not is_consistent(table.drop(index=TRADES), 'stationary, no push')[0]   # without the envelope push, removing nothing is as good

def test_stationary_does_not_separate_dark_from_continuum(table):
    "No margin against the trades: the best of them within 1 % of the truth's score (above or below), none far below"
    truth = table.loc[table.truth, 'stationary'].min()
    gaps = (table.loc[TRADES, 'stationary'] - truth) / truth
    assert abs(gaps.min()) < 0.01 and (gaps > -0.05).all(), gaps

def test_failure_modes_seen_are_wrong_decompositions_of_the_stated_kind():
    from spectroscopynet.loss import _local_wiggles, OFFSET_FRACTION
    rng = np.random.default_rng(0)
    n, C = 6, 3000
    dark, cont, clean = rng.uniform(1, 2, (n, C)), rng.uniform(2, 5, (n, C)), rng.uniform(0, 1, (n, C))
    y = clean + dark + cont + rng.normal(0, 0.01, (n, C))
    p = dict(y=y, clean=clean, dark=dark, cont=cont, dc=dark + cont, other=np.arange(n))
    p['offset'], p['wiggle'] = OFFSET_FRACTION * p['dc'].mean(), _local_wiggles(p['dc'], rng)
    r = np.arange(n)
    for name in ('z_n = dark + continuum − a local wiggle', 'z_n = dark + continuum + a common offset',
                 'z_n = dark + continuum − a common offset', 'z_n: dark × 1.5, continuum lowered to the same sum',
                 'z_n: dark × 0.5, continuum raised to the same sum'):
        is_truth, f = DECOMPOSITIONS[name]
        zx, zn = f(p, r, 0.)
        assert not is_truth
        np.testing.assert_allclose(zx + zn, y)                  # every version still adds up to the measurement
        assert np.abs(zn - p['dc']).max() > 0.01                # and is not the truth
        if 'offset' in name: np.testing.assert_allclose(np.ptp(zn - p['dc']), 0, atol=1e-12)  # one constant everywhere
        if 'traded' in name or 'same sum' in name: np.testing.assert_allclose(zn.sum(-1), p['dc'].sum(-1))
        if 'wiggle' in name:  # local: most channels untouched, bumps a fraction of the local level
            d = np.abs(zn - p['dc'])
            assert np.median(d / p['dc']) < 0.05 and (d / p["dc"]).max() < 1
