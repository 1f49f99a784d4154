"""Forward speed of one SpectroscopyNet branch on this machine's CPU: spectra per second per branch.

Sizes: `ModelConfig.cpu()` and `ModelConfig.paper()`. Layouts, timed in the same run so their ratios are fair:
- `conv1d fp32 eager`: the model as trained (Conv1d + BatchNorm1d, eval mode);
- `conv2d channels-last, BN folded`: the same weights as Conv2d (1×k kernels) on (B, C, 1, N) channels-last tensors,
  with each BatchNorm folded into the conv before it (inference only; outputs checked against the eager branch);
- `bf16 autocast`: only where `spectroscopynet.runtime.autocast_dtype('cpu')` says bf16 pays off (AMX CPUs).

Usage: python benchmarks/bench_model.py [--seconds 3] [--threads N]
"""
import argparse, os, time
import torch
from torch import nn
from spectroscopynet.model import ModelConfig, SiameseSignalNoiseNet, flops_per_spectrum
from spectroscopynet.runtime import cpu_model, autocast_dtype

def fold_to_conv2d(branch:nn.Module) -> nn.Sequential:
    "Copy a DnCNN1d branch body as Conv2d(1×k) layers with BatchNorm folded in, in channels-last memory"
    layers, mods = [], list(branch.body)
    for i, m in enumerate(mods):
        if isinstance(m, nn.Conv1d):
            c = nn.Conv2d(m.in_channels, m.out_channels, (1, m.kernel_size[0]), padding=(0, m.padding[0]),
                          padding_mode=m.padding_mode, bias=True)
            w, b = m.weight.detach().clone(), (m.bias.detach().clone() if m.bias is not None else torch.zeros(m.out_channels))
            if i + 1 < len(mods) and isinstance(mods[i + 1], nn.BatchNorm1d):
                bn = mods[i + 1]; s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
                w, b = w * s[:, None, None], (b - bn.running_mean) * s + bn.bias
            c.weight.data, c.bias.data = w[:, :, None, :].detach(), b.detach()
            layers.append(c)
        elif isinstance(m, nn.ReLU): layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers).eval().to(memory_format=torch.channels_last)

def spectra_per_s(f, x, seconds):
    with torch.no_grad():
        f(x); n, t0 = 0, time.perf_counter()
        while (dt := time.perf_counter() - t0) < seconds or n < 2: f(x); n += 1
    return n * x.shape[0] / dt

def bench(name, cfg, batch, seconds, amp):
    torch.manual_seed(0)
    m = SiameseSignalNoiseNet(cfg).eval()
    for bn in m.modules():  # non-trivial BN statistics, so the folding check means something
        if isinstance(bn, nn.BatchNorm1d): bn.running_mean.uniform_(-.1, .1); bn.running_var.uniform_(.5, 2)
    branch, folded = m.signal_branch, fold_to_conv2d(m.signal_branch)
    u = torch.rand(batch, cfg.n_channels)
    eager = lambda x: branch(x)
    cl = lambda x: folded(x[:, None, None, :].contiguous(memory_format=torch.channels_last))[:, 0, 0, :]
    with torch.no_grad(): err = (eager(u) - cl(u)).abs().max().item() / eager(u).abs().max().item()
    rows = [('conv1d fp32 eager', spectra_per_s(eager, u, seconds)),
            ('conv2d channels-last, BN folded', spectra_per_s(cl, u, seconds))]
    if amp is not None:
        def bf16(x):
            with torch.autocast('cpu', dtype=amp): return branch(x)
        rows.append(('conv1d bf16 autocast', spectra_per_s(bf16, u, seconds)))
    gf = flops_per_spectrum(cfg) / 1e9
    print(f"\n{name}: depth {cfg.depth}, width {cfg.width}, N {cfg.n_channels}, {gf:.3f} GFLOP/spectrum/branch, "
          f"batch {batch}; folded-vs-eager max rel. difference {err:.1e}")
    for label, r in rows:
        print(f"  {label:34s} {r:8.1f} spectra/s/branch  {r*gf:6.1f} GFLOP/s  ×{r/rows[0][1]:.2f} vs eager")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--seconds', type=float, default=3.0, help='timing budget per variant')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch default)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    amp = autocast_dtype('cpu')
    print(f"CPU: {cpu_model()}; torch {torch.__version__}; {torch.get_num_threads()} threads; "
          f"autocast_dtype('cpu') = {amp} ({'bf16 timed' if amp else 'bf16 not timed: no measured gain on this CPU'}); "
          f"load average {os.getloadavg()[0]:.1f} (other processes share the cores: compare ratios, not absolutes)")
    bench('cpu size', ModelConfig.cpu(), 32, a.seconds, amp)
    bench('paper size', ModelConfig.paper(), 8, a.seconds, amp)
