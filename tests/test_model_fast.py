"""The fast inference path (BN folded, channels-last conv2d) against the eager model, in every precision.

Each precision is forced through the switch users have: the `precision` argument and the `SPECTROSCOPYNET_PRECISION`
environment variable. bf16 runs on any CPU (emulated, ~100x slower, without AMX), so sizes stay tiny. Tolerances are
relative (to the eager output's largest magnitude) and stated per precision in `model.RELATIVE_TOLERANCE`.
"""
import numpy as np
import pytest
import torch
from torch import nn
from spectroscopynet.model import (ModelConfig, SiameseSignalNoiseNet, InferenceNet, FastBranch, clean_spectra,
                                   fast_path_difference, RELATIVE_TOLERANCE)
from spectroscopynet.runtime import ConfigError, current_precision, inference_dtype

def _net(seed=0, **kw):
    torch.manual_seed(seed)
    m = SiameseSignalNoiseNet(ModelConfig.tiny(**kw))
    for bn in m.modules():  # statistics and affine terms far from identity, so folding has work to do
        if isinstance(bn, nn.BatchNorm1d):
            bn.running_mean.uniform_(-.3, .3); bn.running_var.uniform_(.3, 3); bn.weight.data.uniform_(.5, 2); bn.bias.data.uniform_(-.2, .2)
    y = (500 * (np.random.default_rng(seed).random((12, m.cfg.n_channels)) + np.linspace(0, 3, m.cfg.n_channels))).astype(np.float32)
    return m.fit_normalisation(y), y

@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
@pytest.mark.parametrize('residual', [True, False], ids=['residual', 'direct'])
def test_fast_path_matches_eager(precision, residual):
    m, y = _net(signal_residual=residual, noise_residual=residual, depth=6, width=12)
    d = fast_path_difference(m, y, precision=precision)
    assert d['precision'] == {'fp32': 'float32', 'bf16': 'bfloat16'}[precision]
    assert d['max_rel'] < RELATIVE_TOLERANCE[precision], d
    if precision == 'fp32': assert d['max_rel'] < 1e-5  # folding only reorders float32 arithmetic

@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
def test_environment_variable_forces_precision(monkeypatch, precision):
    monkeypatch.setenv('SPECTROSCOPYNET_PRECISION', precision)
    m, y = _net(1)
    assert current_precision() == precision
    net = InferenceNet(m, device='cpu')
    assert net.dtype == {'fp32': torch.float32, 'bf16': torch.bfloat16}[precision]
    assert all(p.dtype == net.dtype for p in net.parameters())
    ref = clean_spectra(m, y, precision='fp32', fast=False)
    for part in ('signal', 'noise'):
        out = clean_spectra(m, y, part=part)  # no argument: the environment decides
        ref = clean_spectra(m, y, precision='fp32', fast=False, part=part)
        assert out.dtype == np.float32 and out.shape == y.shape
        assert np.abs(out - ref).max() < RELATIVE_TOLERANCE[precision] * np.abs(ref).max()

def test_bad_precision_named(monkeypatch):
    monkeypatch.setenv('SPECTROSCOPYNET_PRECISION', 'fp16')
    with pytest.raises(ConfigError, match="SPECTROSCOPYNET_PRECISION='fp16'"): current_precision()

def test_auto_never_emulated_bf16():
    from spectroscopynet.runtime import cpu_bf16_support
    if cpu_bf16_support() is None: assert inference_dtype('cpu', 'auto') == torch.float32

@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
def test_layouts_agree(precision):
    "oneDNN's blocked layout (the CPU default) and channels-last give the eager output, ends included, in each precision"
    m, y = _net(3)
    ref = clean_spectra(m, y, precision='fp32', fast=False)
    for layout in ('mkldnn', 'channels_last'):
        net = InferenceNet(m, precision, 'cpu', layout=layout)
        if layout == 'mkldnn' and not torch.backends.mkldnn.is_available(): assert net.layout == 'channels_last'; continue
        assert net.layout == layout
        out = clean_spectra(net, y)
        assert np.abs(out - ref).max() < RELATIVE_TOLERANCE[precision] * np.abs(ref).max(), layout
    assert InferenceNet(m, precision, 'cpu').layout == ('mkldnn' if torch.backends.mkldnn.is_available() else 'channels_last')

def test_folded_branch_has_no_batchnorm_and_model_untouched():
    m, y = _net(2)
    before = {k: v.clone() for k, v in m.state_dict().items()}
    fb = FastBranch(m.signal_branch)
    assert not any(isinstance(x, nn.BatchNorm1d) for x in fb.modules())
    assert all(x.weight.is_contiguous(memory_format=torch.channels_last) for x in fb.modules() if isinstance(x, nn.Conv2d))
    clean_spectra(m.train(), y)
    assert m.training and all(torch.equal(v, m.state_dict()[k]) for k, v in before.items())

@pytest.mark.parametrize('padding', ['reflect', 'replicate', 'zeros'])
def test_mkldnn_layout_exact_at_the_ends(padding):
    "oneDNN's blocked layout pads with zeros; the ends are recomputed with the model's padding, so all channels match"
    m, y = _net(3, padding_mode=padding, depth=5, width=8); m.eval()
    u = torch.from_numpy(y) / m.scale
    with torch.no_grad():
        ref = m.signal_branch(u)
        for layout in ('mkldnn', 'channels_last'):
            out = FastBranch(m.signal_branch, layout=layout)(u)
            assert (out - ref).abs().max() <= 1e-5 * ref.abs().max(), (layout, padding)
    with pytest.raises(ConfigError, match='layout'): FastBranch(m.signal_branch, layout='nchw')
