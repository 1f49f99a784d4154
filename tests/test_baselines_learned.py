"""Runs of the training chapter's baseline objectives plug into the baselines' signature via `clean_with_run`."""
import numpy as np
import pytest
from spectroscopynet.baselines import clean_with_run, learned_baseline, signal_recovery_error
from spectroscopynet.data import chemcam_mask, load_campaign
from spectroscopynet.simulate import load_truth, simulate_campaign
from spectroscopynet.train import train
from spectroscopynet.runtime import SpectroscopyNetError

@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    folder = simulate_campaign(tmp_path_factory.mktemp('sim')/'tiny', scale='tiny', seed=2, progress=False)
    campaign = load_campaign(folder)
    return folder, campaign, load_truth(campaign, folder=folder, components=False)

@pytest.mark.parametrize('objective', ['noise2noise', 'supervised'])
def test_learned_baseline_signature(objective, tiny, tmp_path):
    folder, campaign, truth = tiny
    run = train(folder, 'tiny', tmp_path/objective, progress=False, overrides=[f'objective={objective}'])
    f = learned_baseline(run)
    out = f(campaign.spectra[:5], campaign.wavelengths)
    kept = chemcam_mask(campaign.wavelengths)
    assert out.shape == (5, 6144) and np.isfinite(out).all() and (out[:, ~kept] == 0).all()
    assert f(campaign.spectra[0], campaign.wavelengths).shape == (6144,)
    assert np.isfinite(signal_recovery_error(out, truth.clean[:5], kept))

def test_clean_with_run_refuses_unfinished_run(tiny, tmp_path):
    _, campaign, _ = tiny
    with pytest.raises(SpectroscopyNetError, match='not a finished run'):
        clean_with_run(tmp_path, campaign.spectra[:2], campaign.wavelengths)
