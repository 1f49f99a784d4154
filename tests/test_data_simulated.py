"""The data chapter's readers on the simulator's output: one `load_campaign` call for simulated and real layouts."""
import tempfile, warnings
from pathlib import Path
import numpy as np
import pytest
from spectroscopynet.data import (load_campaign, Campaign, shot_averages, split_by_target, TripletSampler, describe,
                                  read_ccs_csv, OXIDES, N_CHANNELS, CACHE_DIR, chemcam_wavelengths)

simulate = pytest.importorskip('spectroscopynet.simulate')
if not hasattr(simulate, 'simulate_campaign'): pytest.skip('simulator not written yet', allow_module_level=True)

@pytest.fixture(scope='module')
def sim_dir():
    return simulate.simulate_campaign(Path(tempfile.mkdtemp())/'sim_tiny', 'tiny', seed=0, progress=False)

def test_simulated_campaign_loads(sim_dir):
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # every simulated target has a composition: no warning expected
        c = load_campaign(sim_dir)
    assert c.spectra.shape[1] == N_CHANNELS and c.spectra.dtype == np.float32
    assert np.array_equal(c.wavelengths, chemcam_wavelengths())
    assert c.targets_without_composition == [] and list(c.compositions.columns[:8]) == OXIDES
    order = np.lexsort((c.shot, c.source, c.target))
    assert np.array_equal(order, np.arange(len(c)))  # rows ordered by (target, file name, shot)
    assert c.folder == sim_dir
    first = read_ccs_csv(sim_dir/c.source[0])
    assert np.array_equal(c.spectra[:first.n_shots], first.shots)

def test_simulated_cache_and_truth(sim_dir):
    a = load_campaign(sim_dir); b = load_campaign(sim_dir)  # second call: from the cache
    assert (sim_dir/CACHE_DIR/'campaign.json').exists()
    assert np.array_equal(a.spectra, b.spectra) and np.array_equal(a.source, b.source) and b.folder == sim_dir
    truth = simulate.load_truth(b)
    assert truth.clean.shape == b.spectra.shape
    np.testing.assert_array_equal(truth.clean + truth.noise, b.spectra)

def test_simulated_averages_split_sampler(sim_dir):
    c = load_campaign(sim_dir)
    avg = shot_averages(c)
    assert len(avg) == len(np.unique(c.source)) and not np.isnan(avg.compositions).any()
    train, test = split_by_target(c.target, 0.34, seed=0)
    assert set(c.subset(train).target).isdisjoint(c.subset(test).target)
    j, k, kp = TripletSampler(c.subset(train).target, 64, seed=0).sample()
    t = c.subset(train).target
    assert ((t[j] != t[k]) & (t[j] != t[kp]) & (t[k] != t[kp])).all()
    assert 'compositions: ' in describe(sim_dir)
