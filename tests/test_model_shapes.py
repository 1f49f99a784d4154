"""Shape, dtype, parameter-count and contract tests of spectroscopynet.model and spectroscopynet.loss (seconds on CPU)."""
import numpy as np
import pytest
import torch
from spectroscopynet.model import (ModelConfig, SiameseSignalNoiseNet, clean_spectra, count_parameters,
                                   branch_parameters, flops_per_spectrum, model_summary)
from spectroscopynet.loss import disentangling_loss
from spectroscopynet.model import RELATIVE_TOLERANCE
from spectroscopynet.runtime import SpectroscopyNetError, ConfigError, inference_dtype

@pytest.mark.parametrize('cfg', [ModelConfig.tiny(), ModelConfig.cpu()], ids=['tiny', 'cpu'])
def test_forward_shapes_and_dtypes(cfg):
    m = SiameseSignalNoiseNet(cfg).eval()
    with torch.no_grad(): zx, zn = m(torch.rand(3, cfg.n_channels, dtype=torch.float64))
    assert zx.shape == zn.shape == (3, cfg.n_channels) and zx.dtype == zn.dtype == torch.float32

def test_paper_size_one_spectrum():
    cfg = ModelConfig.paper()
    assert (cfg.n_channels, cfg.depth, cfg.width, cfg.kernel_size) == (5485, 18, 64, 3)
    m = SiameseSignalNoiseNet(cfg).eval()
    with torch.no_grad(): zx, zn = m(torch.rand(1, 5485))
    assert zx.shape == zn.shape == (1, 5485) and torch.isfinite(zx).all() and torch.isfinite(zn).all()

@pytest.mark.parametrize('cfg', [ModelConfig.tiny(), ModelConfig.cpu(), ModelConfig.paper()], ids=['tiny', 'cpu', 'paper'])
def test_parameter_count(cfg):
    m = SiameseSignalNoiseNet(cfg)
    assert count_parameters(m) == 2 * branch_parameters(cfg) == 2 * count_parameters(m.signal_branch)
    assert int(model_summary(cfg).loc['siamese', 'parameters']) == count_parameters(m)

def test_paper_counts():
    assert branch_parameters(ModelConfig.paper()) == 3*64 + 64 + 16*(3*64*64 + 2*64) + 3*64 + 1 == 199_105
    assert abs(flops_per_spectrum(ModelConfig.paper()) / 1e9 - 2.16) < 0.01

def test_normalisation_in_state_dict_and_units():
    cfg = ModelConfig.tiny(); y = 500 * np.random.default_rng(0).random((4, cfg.n_channels)).astype(np.float32)
    m = SiameseSignalNoiseNet(cfg).fit_normalisation(y)
    m2 = SiameseSignalNoiseNet(cfg); m2.load_state_dict(m.state_dict())
    assert float(m2.scale) == pytest.approx(float(np.median(np.abs(y).mean(-1))), rel=1e-5)
    a, b = clean_spectra(m2, y, device='cpu'), clean_spectra(m, y, device='cpu')  # whatever precision the switch chose
    tol = RELATIVE_TOLERANCE['bf16' if inference_dtype('cpu') == torch.bfloat16 else 'fp32']
    assert np.abs(a - b).max() <= tol * np.abs(b).max()

def test_clean_spectra_shapes_and_mode():
    cfg = ModelConfig.tiny(); m = SiameseSignalNoiseNet(cfg).train()
    y = np.random.default_rng(1).random((7, cfg.n_channels))
    out = clean_spectra(m, y, batch_size=3, device='cpu')
    assert out.shape == (7, cfg.n_channels) and out.dtype == np.float32 and m.training
    assert clean_spectra(m, y[0], device='cpu').shape == (cfg.n_channels,)

def test_bad_inputs():
    m = SiameseSignalNoiseNet(ModelConfig.tiny())
    with pytest.raises(SpectroscopyNetError, match='expected \\(batch, channels'): m(torch.rand(100))  # one spectrum needs a batch axis
    assert m(torch.rand(2, 100))[0].shape == (2, 100)  # fully convolutional: any length (a segment of another grid)
    with pytest.raises(ConfigError, match='depth'): ModelConfig(depth=1)
    with pytest.raises(ConfigError, match='form'): disentangling_loss(*[torch.rand(2, 8)]*4, form='nope')

def test_loss_terms_and_bound():
    g = torch.Generator().manual_seed(0)
    y, zx, zk, zkp = (torch.rand(4, 32, generator=g) for _ in range(4))
    for c in (1., 1e3, 1e6):
        loss, terms = disentangling_loss(y, zx, c*zk, c*zkp)
        assert set(terms) == {'recon', 'orth', 'align', 'sparsity', 'total'} and loss >= -1
    _, lit = disentangling_loss(y, zx, zk, zkp, 'literal')
    assert set(lit) == {'recon', 'orth', 'align', 'total'}
    assert torch.allclose(lit['align'], -(zk*zkp).sum())
