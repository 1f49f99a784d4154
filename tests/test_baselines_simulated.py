"""Every classical baseline on the simulator's tiny campaign: closer to the true clean signal than the raw shots."""
import numpy as np
import pytest
from spectroscopynet.baselines import BASELINES, recovery_by_method, signal_recovery_error
from spectroscopynet.data import chemcam_mask, load_campaign, shot_averages
from spectroscopynet.simulate import load_truth, simulate_campaign

@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    folder = simulate_campaign(tmp_path_factory.mktemp('sim')/'tiny', scale='tiny', seed=1, progress=False)
    campaign = load_campaign(folder)
    return campaign, load_truth(campaign, folder=folder, components=False)

def test_every_method_beats_raw_on_single_shots(tiny):
    campaign, truth = tiny
    rows = np.random.default_rng(1).choice(len(campaign.spectra), 12, replace=False)
    errors = recovery_by_method(campaign.spectra[rows], truth.clean[rows], campaign.wavelengths,
                                chemcam_mask(campaign.wavelengths))
    assert list(errors.index) == list(BASELINES)
    assert errors['none'] > 0.5
    for name in BASELINES:
        if name != 'none': assert errors[name] < 0.5 * errors['none'], (name, errors[name])

def test_chemcam_on_location_averages(tiny):
    campaign, truth = tiny
    averages, clean = shot_averages(campaign), shot_averages(campaign, spectra=truth.clean)
    kept = chemcam_mask(campaign.wavelengths)
    raw = signal_recovery_error(averages.spectra, clean.spectra, kept)
    ours = signal_recovery_error(BASELINES['chemcam'](averages.spectra, campaign.wavelengths), clean.spectra, kept)
    assert ours < 0.3 and ours < 0.3 * raw, (ours, raw)
