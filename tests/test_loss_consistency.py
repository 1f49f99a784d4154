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

def test_stationary_default_is_consistent(table):
    ok, margin, worst = is_consistent(table, 'stationary')
    assert ok, (margin, worst)
    assert not is_consistent(table, 'stationary, no push')[0]   # without the envelope push, removing nothing is as good
    assert consistency_summary(table).loc['stationary', 'consistent']
