"""Random-window training: the stationary objective trains on crops and the network still cleans whole spectra; resume-safe."""
import json, numpy as np, pytest, torch
import spectroscopynet.train as T
from spectroscopynet.data import TripletSampler
from spectroscopynet.runtime import ConfigError
from spectroscopynet.simulate import simulate_campaign

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    return simulate_campaign(tmp_path_factory.mktemp('camp')/'tiny', scale='tiny', seed=0, progress=False)

def test_config_checks():
    with pytest.raises(ConfigError, match='crop'): T.TrainConfig(crop=-1)
    with pytest.raises(ConfigError, match='optimizer'): T.TrainConfig(optimizer='lbfgs')
    with pytest.raises(ConfigError, match='loss_form'): T.TrainConfig(loss_form='contrastive')
    with pytest.raises(ConfigError, match='station_warmup'): T.TrainConfig(station_warmup=0.7)
    assert T.TrainConfig.cpu().loss_form == 'stationary' and T.TrainConfig.cpu().crop > 0
    with pytest.raises(ConfigError, match='blind_spot'): T.TrainConfig(blind_spot=1.0)

def test_blind_spot_scores_only_masked_channels():
    from spectroscopynet.loss import stationary_loss
    y, zx, zn = torch.rand(4, 64) + 1, torch.rand(4, 64), torch.rand(4, 64)
    allowed, mask = torch.ones(4, 4, dtype=torch.bool), torch.zeros(4, 64, dtype=torch.bool)
    mask[:, ::8] = True
    zx2 = zx.clone(); zx2[:, 1] += 5   # a change on an unmasked channel leaves recon unchanged
    r1 = stationary_loss(y, zx, zn, zn, allowed, mask=mask)[1]['recon']
    r2 = stationary_loss(y, zx2, zn, zn, allowed, mask=mask)[1]['recon']
    assert torch.isclose(r1, r2) and not torch.isclose(r1, stationary_loss(y, zx2, zn, zn, allowed)[1]['recon'])

def test_station_factor():
    assert T.station_factor(0, 100, 0.) == 1. and T.station_factor(5, 100, 0.1) == 0.
    assert T.station_factor(15, 100, 0.1) == pytest.approx(0.5) and T.station_factor(50, 100, 0.1) == 1.

def test_window_sampler_resumes():
    inner = lambda: TripletSampler(np.repeat(list('abcd'), 5), batch_size=4, seed=3)
    a = T.WindowSampler(inner(), 100, 30, seed=3)
    a.sample(); state = a.state_dict(); x = a.sample()
    b = T.WindowSampler(inner(), 100, 30, seed=3); b.load_state_dict(state); y = b.sample()
    assert all(np.array_equal(u, v) for u, v in zip(x, y)) and 0 <= x[-1] <= 70
    with pytest.raises(ConfigError, match='crop'): T.WindowSampler(inner(), 100, 101)

@pytest.mark.parametrize('form', ['stationary', 'bounded'])
def test_crop_training_cleans_whole_spectra(campaign, tmp_path, form):
    run = T.train(campaign, 'tiny', tmp_path/form, progress=False,
                  overrides=['objective=siamese', f'loss_form={form}', 'crop=96', 'optimizer=adam', 'lr=0.003', 'station_warmup=0.2'])
    m = [json.loads(l) for l in (run/'metrics.jsonl').read_text().splitlines()]
    assert {'recovery_heldout', 'scale_free_heldout', 'cpu_seconds'} <= set(m[-1])
    assert np.isfinite(m[-1]['loss']) and 0 <= m[-1]['scale_free_heldout'] <= 1
    net, cfg = T.load_run(run)
    assert cfg.crop == 96 and cfg.model.n_channels > 96   # trained on windows, the saved network takes whole spectra
    d = T.prepare_data(campaign, cfg)
    assert T.clean_spectra(net, d.spectra[:2]).shape == (2, d.n_channels)
