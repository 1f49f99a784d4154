"""The simulator never fails on a valid seed, its truth satisfies the stated float32 invariant, and a failure partway
leaves no campaign folder behind."""
import json
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from spectroscopynet.simulate import simulate_campaign, load_truth, TRUTH_RTOL
from spectroscopynet.data import load_campaign

def _check_truth(folder):
    camp = load_campaign(folder, cache=False)
    truth = load_truth(camp, folder=folder, components=False)
    y, n = camp.spectra.astype(np.float64), truth.noise.astype(np.float64)
    np.testing.assert_array_equal(truth.noise, camp.spectra.astype(np.float32) - truth.clean)  # the definition
    assert (np.abs(truth.clean.astype(np.float64) + n - y) <= TRUTH_RTOL*np.maximum(np.abs(y), np.abs(n))).all()
    man = json.loads((folder/'manifest.json').read_text())
    assert man['truth_inexact_channels'] == int((truth.clean + truth.noise != camp.spectra).sum())
    return truth

@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_any_seed_simulates_with_the_stated_invariant(tmp_path_factory, seed):
    out = tmp_path_factory.mktemp('s')/'c'
    simulate_campaign(out, 'tiny', seed=seed, progress=False, standards=('bhvo2', '75tio2'), locations=1, shots=3)
    _check_truth(out)

def test_the_seeds_that_failed_before(tmp_path):
    # seeds 3, 5, 7 stopped `simulate --scale small` (one inexact channel); the targets are the full tiny set here
    for seed in (3, 5, 7):
        _check_truth(simulate_campaign(tmp_path/f's{seed}', 'tiny', seed=seed, progress=False, locations=1, shots=4))

def test_failure_midway_leaves_no_campaign(tmp_path, monkeypatch):
    import spectroscopynet.simulate as sim
    real, calls = sim.simulate_target, []
    def flaky(*a, **k):
        calls.append(1)
        if len(calls) == 3: raise OSError('disk full (simulated)')
        return real(*a, **k)
    monkeypatch.setattr(sim, 'simulate_target', flaky)
    with pytest.raises(OSError, match='disk full'):
        sim.simulate_campaign(tmp_path/'out', 'tiny', seed=0, progress=False, locations=1, shots=2)
    assert len(calls) == 3
    assert list(tmp_path.iterdir()) == []  # neither OUT_DIR nor its hidden .partial folder

@pytest.mark.parametrize('instrument', ['A', 'B'])
def test_stored_clean_is_the_physics_of_the_stored_plasma(tmp_path, instrument):
    "Rebuild u_x from the composition table and the plasma states in truth.npz: a misaligned row, a wrong instrument or a lost factor fails"
    import spectroscopynet.simulate as sim
    out = simulate_campaign(tmp_path/'c', 'tiny', seed=11, instrument=instrument, progress=False, standards=('bhvo2', 'pg7'), locations=2, shots=3)
    camp, truth = load_campaign(out, cache=False), None
    truth = load_truth(camp, folder=out)
    cfg, basis = sim._config_from_manifest(truth.manifest['config']), sim.load_emission_basis()
    assert cfg.instrument == instrument
    k_line, _, k_out = sim._reference_scale(basis, cfg)
    for name in ('bhvo2', 'pg7'):
        rows = camp.target == name
        x = sim._plasma_atoms(cfg, camp.compositions.loc[[name]])
        p = {k: truth.plasma[k].to_numpy()[rows] for k in truth.plasma}
        rebuilt = sim._clean_signal(cfg, basis, x, p, k_line, k_out)
        np.testing.assert_allclose(truth.clean[rows], rebuilt, rtol=2e-6, atol=1e-6*rebuilt.max())
    # the noise's fast part is zero-mean and has the photon + read variance the config states
    sr = truth.components['shot_read'].astype(np.float64)
    counts = np.clip(truth.components['dark'] + truth.components['continuum'] + truth.clean, 0, None)
    var = cfg.peak_radiance/cfg.shot_noise_snr**2*counts + (cfg.read_noise*cfg.peak_radiance)**2
    z = sr/np.sqrt(var)
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.03
