"""Inference speed of one SpectroscopyNet branch on this CPU: the naive path against the package's fast path.

In one run, on the same machine, at the paper's size (D=18, 64 maps, 5485 channels; `--size cpu|tiny` for quick looks):
- naive: the model as trained (Conv1d + BatchNorm1d unfused, fp32, eager, eval mode, `torch.no_grad`), batch 1 and 64;
- fast: `spectroscopynet.model.clean_spectra`'s path (`InferenceNet`: BatchNorm folded into the convs at load time,
  oneDNN's blocked layout with prepacked weights (channels-last 1xk Conv2d where oneDNN is missing),
  `torch.inference_mode`, batch `inference_batch(cfg)` (activations within `INFERENCE_CACHE_BYTES`), torch's default
  threads, in the precision the package picks: with `auto`, bf16 only on a CPU with native bf16 (AMX or AVX512-BF16)
  else fp32; or the one SPECTROSCOPYNET_PRECISION / --precision forces);
- the forms the fast path was chosen from (folded Conv1d, folded channels-last Conv2d at other batch sizes, oneDNN's
  blocked layout with exact ends `FastBranch(layout='mkldnn')`, and both in bf16 where the CPU has it natively);
- the machine's dense fp32 GEMM rate and the roofline it implies (GFLOP/spectrum from `flops_per_spectrum`); where the
  CPU has native bf16, also the bf16 GEMM rate and its roofline. The fast path's share
  is given against the roofline of the precision it runs in.

Prints spectra/s, the speed-up over the naive path, the share of the roofline, peak memory (resident-set high-water
mark above the level before each variant, Linux), and the fast path's max/mean difference to the eager fp32 output.
Other processes share the cores: the ratios within one run are what counts. Usage:
    python benchmarks/bench_model.py [--size paper] [--seconds 5] [--threads N] [--precision auto|fp32|bf16]
"""
import argparse, os, time, subprocess
from pathlib import Path
import numpy as np
import torch
from torch import nn
from spectroscopynet.model import (ModelConfig, SiameseSignalNoiseNet, InferenceNet, FastBranch, flops_per_spectrum,
                                   fast_path_difference, inference_batch)
from spectroscopynet.runtime import cpu_model, current_precision, cpu_bf16_support

def _status(key):
    try:
        for l in Path('/proc/self/status').read_text().splitlines():
            if l.startswith(key + ':'): return int(l.split()[1]) * 1024
    except OSError: pass
    return 0

def _reset_peak():
    try: Path('/proc/self/clear_refs').write_text('5')  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError: pass

def measure(f, x, seconds):
    "(spectra/s, peak extra memory in MiB) of f(x) repeated for `seconds` (at least 2 calls after a warm-up)"
    _reset_peak(); base = _status('VmRSS')
    with torch.inference_mode():
        f(x); n, t0 = 0, time.perf_counter()
        while (dt := time.perf_counter() - t0) < seconds or n < 2: f(x); n += 1
    return n * x.shape[0] / dt, max(0, _status('VmHWM') - base) / 2**20

def gemm_gflops(seconds, n=2048, dtype=torch.float32):
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    a @ b; k, t0 = 0, time.perf_counter()
    while (dt := time.perf_counter() - t0) < seconds or k < 2: a @ b; k += 1
    return 2 * n**3 * k / dt / 1e9

def folded_conv1d(fb:FastBranch) -> nn.Module:
    "The folded branch as plain Conv1d layers (same numbers, contiguous layout): a candidate form"
    layers = []
    for l in fb.body:
        if isinstance(l, nn.Conv2d):
            c = nn.Conv1d(l.in_channels, l.out_channels, l.kernel_size[1], padding=l.padding[1], padding_mode=l.padding_mode)
            c.weight.data, c.bias.data = l.weight.data[:, :, 0, :].contiguous().float(), l.bias.data.float(); layers.append(c)
        else: layers.append(l)
    body = nn.Sequential(*layers).eval()
    return lambda u: body(u[:, None, :])[:, 0, :]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', default='paper', choices=['paper', 'cpu', 'tiny'])
    p.add_argument('--seconds', type=float, default=5.0, help='timing budget per variant')
    p.add_argument('--threads', type=int, default=None, help='torch threads (default: torch default)')
    p.add_argument('--precision', default=None, help='auto, fp32 or bf16 (default: $SPECTROSCOPYNET_PRECISION or auto)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    cfg = getattr(ModelConfig, a.size)()
    native = cpu_bf16_support()
    up = subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()
    print(f"CPU: {cpu_model()} (native bf16: {native or 'none, emulated'}); torch {torch.__version__}; "
          f"{torch.get_num_threads()} threads; precision {current_precision(a.precision)}")
    print(f"uptime: {up}")
    gf = flops_per_spectrum(cfg) / 1e9
    gemm = gemm_gflops(a.seconds)
    roof = gemm / gf
    print(f"size {a.size}: depth {cfg.depth}, width {cfg.width}, N {cfg.n_channels}; {gf:.3f} GFLOP/spectrum/branch; "
          f"fp32 GEMM (2048^3) {gemm:.0f} GFLOP/s -> roofline {roof:.1f} spectra/s/branch")
    torch.manual_seed(0)
    m = SiameseSignalNoiseNet(cfg).eval()
    for bn in m.modules():  # non-trivial BN statistics, so folding has something to fold
        if isinstance(bn, nn.BatchNorm1d): bn.running_mean.uniform_(-.1, .1); bn.running_var.uniform_(.5, 2)
    y = torch.rand(64, cfg.n_channels)
    m.fit_normalisation(y.numpy())
    net = InferenceNet(m, a.precision, 'cpu')
    dtype = net.dtype; name = str(dtype).replace('torch.', '')
    gemm16 = gemm_gflops(a.seconds, dtype=torch.bfloat16) if native or dtype == torch.bfloat16 else None
    if gemm16: print(f"bf16 GEMM (2048^3) {gemm16:.0f} GFLOP/s -> roofline {gemm16/gf:.1f} spectra/s/branch")
    print(f"fast path: {net}\n")
    fb32 = FastBranch(m.signal_branch)
    c1 = folded_conv1d(fb32)
    B = inference_batch(cfg)
    rows = [('naive: fp32 eager Conv1d+BN, batch 1', lambda x: m.signal(x), y[:1]),
            ('naive: fp32 eager Conv1d+BN, batch 64', lambda x: m.signal(x), y[:64]),
            (f'candidate: folded Conv1d fp32, batch {B}', c1, y[:B]),
            *[(f'candidate: folded Conv2d channels-last fp32, batch {b}', fb32, y[:b]) for b in (1, 4, 16, 64) if b != B],
            (f'candidate: folded oneDNN blocked (mkldnn) fp32, batch {B}', FastBranch(m.signal_branch, layout='mkldnn'), y[:B]),
            *([(f'candidate: folded Conv2d channels-last bf16, batch {B}', FastBranch(m.signal_branch, torch.bfloat16), y[:B]),
               (f'candidate: folded oneDNN blocked (mkldnn) bf16, batch {B}', FastBranch(m.signal_branch, torch.bfloat16, 'mkldnn'), y[:B])]
              if native or dtype == torch.bfloat16 else []),
            (f'FAST PATH: InferenceNet ({name}), batch {B}', lambda x: net.signal(x), y[:B])]
    res = []
    for label, f, x in rows:
        r, mem = measure(f, x, a.seconds); res.append((label, r, mem))
        print(f"  {label:55s} {r:8.2f} spectra/s  {r*gf:7.1f} GFLOP/s  {100*r/roof:5.1f}% of fp32 roofline  peak +{mem:6.1f} MiB", flush=True)
    naive64, fast = res[1][1], res[-1][1]
    d = fast_path_difference(m, y[:8].numpy(), precision=a.precision)
    own = (gemm16 if dtype == torch.bfloat16 else gemm) / gf
    print(f"\nfast path ({name}): x{fast/naive64:.2f} the naive batch-64 path, x{fast/res[0][1]:.2f} the naive batch-1 path, "
          f"{100*fast/roof:.0f}% of the fp32 GEMM roofline" + (f", {100*fast/own:.0f}% of the bf16 GEMM roofline" if dtype == torch.bfloat16 else ''))
    print(f"fast vs eager fp32 (8 spectra, signal branch, {d['precision']}): max |diff| {d['max_abs']:.3g} = {d['max_rel']:.2e} of "
          f"max |z_x|; mean |diff| {d['mean_abs']:.3g} = {d['mean_rel']:.2e} of mean |z_x|")
    print(f"load average after: {os.getloadavg()[0]:.1f}")

if __name__ == '__main__': main()
