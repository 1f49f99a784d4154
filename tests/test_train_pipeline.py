"""The learned cleaning pipeline (blind-spot denoiser + background head) through `train`, `load_run`, `clean_with_run`
and `Cleaner`, under both precisions; old siamese run folders still load; the background head's contract."""
import json
import numpy as np
import pytest
import torch
from spectroscopynet.background import BackgroundHead, asymmetric_fit, spline_basis, background_clean
from spectroscopynet.baselines import clean_with_run
from spectroscopynet.clean import Cleaner
from spectroscopynet.data import chemcam_mask, load_campaign
from spectroscopynet.metrics import relative_l2
from spectroscopynet.simulate import load_truth, simulate_campaign
from spectroscopynet.train import train, load_run, RunFolderError

@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    folder = simulate_campaign(tmp_path_factory.mktemp('sim')/'tiny', scale='tiny', seed=3, progress=False)
    campaign = load_campaign(folder)
    return folder, campaign, load_truth(campaign, folder=folder, components=False)

@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
def test_pipeline_run_cleans_held_out_better_than_raw(precision, tiny, tmp_path, monkeypatch):
    monkeypatch.setenv('SPECTROSCOPYNET_PRECISION', precision)
    folder, campaign, truth = tiny
    run = train(folder, 'tiny', tmp_path/'run', progress=False, overrides=['objective=pipeline'])
    m = json.loads((run/'metrics.jsonl').read_text())
    assert m['recovery_heldout'] < 0.5 * m['recovery_raw']          # tolerance the same under fp32 and bf16
    net, cfg = load_run(run)
    assert cfg.objective == 'pipeline' and not cfg.mask_bands and net.cfg.n_channels == 6144
    kept = chemcam_mask(campaign.wavelengths)
    out = clean_with_run(run, campaign.spectra[:6], campaign.wavelengths)
    assert out.shape == (6, 6144) and np.isfinite(out).all()
    assert relative_l2(out, truth.clean[:6], kept) < 0.5 * relative_l2(campaign.spectra[:6], truth.clean[:6], kept)
    cleaner = Cleaner(model=run)
    np.testing.assert_allclose(cleaner(campaign.spectra[:2], campaign.wavelengths), out[:2], rtol=1e-4, atol=1e-3 * np.abs(out[:2]).max())
    noise = cleaner(campaign.spectra[:2], campaign.wavelengths, part='noise')
    np.testing.assert_allclose(noise + out[:2], campaign.spectra[:2], rtol=1e-5, atol=1e-4 * np.abs(campaign.spectra[:2]).max())

def test_old_siamese_run_still_loads_and_cleans(tiny, tmp_path):
    folder, campaign, _ = tiny
    run = train(folder, 'tiny', tmp_path/'old', progress=False, overrides=['objective=siamese', 'epochs=1'])
    ck = torch.load(run/'final.pt', weights_only=True)
    for k in ('denoiser', 'background_knot_nm', 'background_level_k'): ck['config'].pop(k)   # a config from before the pipeline
    torch.save(ck, run/'final.pt')
    net, cfg = load_run(run)
    assert cfg.objective == 'siamese' and cfg.mask_bands
    out = clean_with_run(run, campaign.spectra[:3], campaign.wavelengths)
    assert out.shape == (3, 6144) and (out[:, ~chemcam_mask(campaign.wavelengths)] == 0).all()
    del ck['model']; torch.save(ck, run/'final.pt')
    with pytest.raises(RunFolderError, match=r"final\.pt: no 'model' entry for objective 'siamese'"):
        load_run(run)

def _smooth_plus_line(n=3, N=1024, noise=0.02, seed=0):
    x = np.linspace(400., 470., N)
    bg = 2 + np.cos((x - 400) / 25) + 0.002 * (x - 430)**2
    line = 8 * np.exp(-0.5 * ((x - 431.2) / 0.1)**2)
    y = bg + line + noise * np.random.default_rng(seed).standard_normal((n, N))
    return x, bg, line, y

def test_head_keeps_a_narrow_line_and_fits_from_below():
    x, bg, line, y = _smooth_plus_line()
    fit = asymmetric_fit(torch.as_tensor(y), torch.as_tensor(spline_basis(x))).numpy()
    near = np.abs(x - 431.2) < 1
    assert np.all(np.abs((y - fit)[:, near].sum(-1) / line.sum() - 1) < 0.05)        # the line stays in z_x
    assert -0.04 < (fit - bg).mean() < 0.0                                         # below the background, by < 2 noise σ
    assert (fit > bg + line + 3 * 0.02).mean() < 0.01                              # above the noise-free spectrum only by noise

def test_head_gradient_reaches_the_input_through_every_pass():
    x, _, _, y = _smooth_plus_line(n=2)
    head = BackgroundHead(x)
    yt = torch.tensor(y, dtype=torch.float32, requires_grad=True)
    head(yt).pow(2).sum().backward()
    assert torch.isfinite(yt.grad).all() and (yt.grad.abs().sum(-1) > 0).all()

def test_head_on_chemcam_grid_has_three_segments(tiny):
    _, campaign, truth = tiny
    head = BackgroundHead(campaign.wavelengths)
    assert [(s.start, s.stop) for s in head.segments] == [(0, 2048), (2048, 4096), (4096, 6144)]
    kept = chemcam_mask(campaign.wavelengths)
    out = background_clean(campaign.spectra[:4], campaign.wavelengths)
    assert relative_l2(out, truth.clean[:4], kept) < 0.3 * relative_l2(campaign.spectra[:4], truth.clean[:4], kept)

def test_figures_take_a_pipeline_run(tiny, tmp_path):
    "Figs. 2, 4 and 5 of `reproduce` accept a pipeline run (its model sees the whole grid; Fig. 2 draws its stages)"
    from spectroscopynet.figures import spectra_for_figures, _diagram, _pipeline_drawer, pick_targets
    folder, campaign, truth = tiny
    run = train(folder, 'tiny', tmp_path/'run', progress=False, overrides=['objective=pipeline'])
    net, _ = load_run(run)
    s = spectra_for_figures(campaign, net, pick_targets(campaign.target)[:2], truth)
    kept = chemcam_mask(campaign.wavelengths)
    assert np.isfinite(s['learned'][:, kept]).all() and np.isnan(s['learned'][:, ~kept]).all()
    fig = _diagram(_pipeline_drawer(net.cfg), "Fig. 2", "tiny")
    assert 'knots 50 nm' in ' '.join(t.get_text() for t in fig.axes[0].texts)

def test_calibrate_takes_a_pipeline_run(tiny, tmp_path):
    "calibrate's `learned` representation comes from a pipeline run like from a siamese one"
    from spectroscopynet.calibration import calibrate
    folder, campaign, _ = tiny
    run = train(folder, 'tiny', tmp_path/'run', progress=False, overrides=['objective=pipeline'])
    res = calibrate(folder, run, None, regressors=('ridge',), n_boot=20)
    assert 'learned' in set(res.rmse['representation']) and np.isfinite(res.rmse.loc[res.rmse['representation'] == 'learned', 'rmse']).all()
    assert res.recovery['learned'] < res.recovery['raw']                           # simulated: the pipeline's output is closer to the truth
