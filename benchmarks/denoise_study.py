"""Denoise, then remove the background: a self-supervised (Noise2Self) denoiser and ChemCam's wavelet denoising, each before arPLS.

Usage: python benchmarks/denoise_study.py CAMPAIGN [--epochs 30] [--width 32] [--depth 8] [--seed 0] [--n 150]
An exploration, not a method of the package. The learned cleaning of the package (`spectroscopynet train`) trails the
classical chain on signal recovery mostly through the *background*; this asks how far the other half of the job,
the shot and read noise, can be taken by learning without clean data, and which classical combination is the
strongest reference. On the SAME held-out single shots as `recovery_study.py` (the targets `split_by_target(0.2,
seed=0)` holds out, `--n` shots evenly spaced) it scores, against the simulator's truth (relative L2, scale-free,
lines / rest): arPLS alone, the ChemCam-style chain, ChemCam's wavelet denoising then arPLS
(`BASELINES['wavelet_arpls']`), and a Noise2Self denoiser then arPLS.

The Noise2Self denoiser (Batson & Royer 2019) is trained on the campaign's *other* targets only, without any clean
signal: a plain 1-D CNN (`--depth` conv layers of `--width` channels, kernel 7, ReLU, residual) sees each spectrum
(scaled by its 99.5th percentile) with 3 % of its channels hidden (replaced by the mean of the channels two away,
plus a mask channel) and is scored on the hidden channels only. With noise independent from channel to channel, the
minimiser of that loss is the noise-free spectrum's conditional mean given the other channels, so nothing is learnt
from the noise. At inference every channel is predicted while hidden (8 interleaved masks: J-invariant). Windows of
1024 channels, batches of 32, Adam 2e-3. Prints the CPU and times."""
import argparse, os, time
import numpy as np
import pandas as pd
import torch
from torch import nn
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import load_campaign, chemcam_mask, split_by_target
from spectroscopynet.simulate import load_truth
from spectroscopynet.baselines import BASELINES
from spectroscopynet.metrics import recovery_row

class BlindSpotCNN(nn.Module):
    "x + f([x, mask]): a residual 1-D CNN that is told which channels are hidden"
    def __init__(self, width=32, depth=8, k=7):
        super().__init__()
        conv = lambda i, o: nn.Conv1d(i, o, k, padding=k // 2, padding_mode='reflect')
        layers = [conv(2, width), nn.ReLU()]
        for _ in range(depth - 2): layers += [conv(width, width), nn.ReLU()]
        self.f = nn.Sequential(*layers, conv(width, 1))
    def forward(self, x, hidden): return x + self.f(torch.stack([x, hidden], 1))[:, 0]

def hide(x, hidden):
    "Hidden channels replaced by the mean of the channels two away (a line spans several channels)"
    return x * (1 - hidden) + 0.5 * (torch.roll(x, 2, -1) + torch.roll(x, -2, -1)) * hidden

def train_noise2self(X, rows, epochs, width, depth, seed, p=0.03, batch=32, crop=1024, lr=2e-3):
    torch.manual_seed(seed); rng = np.random.default_rng(seed)
    net = BlindSpotCNN(width, depth); opt = torch.optim.Adam(net.parameters(), lr)
    for epoch in range(epochs):
        order, total, t0 = rows[rng.permutation(len(rows))], 0., time.time()
        for i in range(0, len(order) - batch + 1, batch):
            start = int(rng.integers(0, X.shape[1] - crop)); x = X[order[i:i + batch], start:start + crop]
            h = (torch.rand(x.shape, generator=torch.Generator().manual_seed(int(rng.integers(2**31)))) < p).float()
            loss = (((net(hide(x, h), h) - x)**2) * h).sum() / h.sum().clamp_min(1)
            opt.zero_grad(); loss.backward(); opt.step(); total += loss.item()
        print(f"  epoch {epoch + 1}/{epochs}: masked MSE {total / max(1, len(order) // batch):.3e} ({time.time() - t0:.0f} s)", flush=True)
    return net.eval()

@torch.no_grad()
def denoise_j_invariant(net, x, n=8):
    "Each channel predicted while it is hidden (n interleaved masks)"
    out = torch.zeros_like(x)
    for r in range(n):
        h = torch.zeros_like(x); h[:, r::n] = 1
        out += net(hide(x, h), h) * h
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('campaign'); ap.add_argument('--epochs', type=int, default=30); ap.add_argument('--width', type=int, default=32)
    ap.add_argument('--depth', type=int, default=8); ap.add_argument('--seed', type=int, default=0); ap.add_argument('--n', type=int, default=150)
    a = ap.parse_args()
    c = load_campaign(a.campaign); truth = load_truth(c, folder=a.campaign, components=False)
    train_t, test_t = split_by_target(c.target, 0.2, 0); tgt = np.asarray(c.target)
    rows = np.flatnonzero(np.isin(tgt, test_t)); rows = rows[np.linspace(0, len(rows) - 1, a.n).round().astype(int)]
    train_rows = np.flatnonzero(np.isin(tgt, train_t))
    Y = np.asarray(c.spectra, np.float32); scale = np.percentile(np.abs(Y), 99.5, axis=1, keepdims=True).astype(np.float32)
    X = torch.tensor(Y / scale)
    t0, c0 = time.time(), time.process_time()
    net = train_noise2self(X, train_rows, a.epochs, a.width, a.depth, a.seed)
    train_s = (time.time() - t0, time.process_time() - c0)
    y, w = np.asarray(c.spectra[rows], np.float64), c.wavelengths
    n2s = denoise_j_invariant(net, X[rows]).numpy().astype(np.float64) * scale[rows]
    out = {'arPLS': BASELINES['arpls'](y, w), 'ChemCam-style chain': BASELINES['chemcam'](y, w),
           'wavelet denoise, then arPLS': BASELINES['wavelet_arpls'](y, w), 'Noise2Self denoise, then arPLS': BASELINES['arpls'](n2s, w)}
    tab = pd.DataFrame({k: recovery_row(v, truth.clean[rows], chemcam_mask(w)) for k, v in out.items()}).T
    print(f"{a.campaign}: {len(rows)} single shots of {len(test_t)} held-out targets; Noise2Self trained on "
          f"{len(train_rows)} shots of the other targets, {a.epochs} epochs, width {a.width}, depth {a.depth}, seed {a.seed}: "
          f"{train_s[0]:.0f} s wall, {train_s[1]:.0f} s CPU; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"{cpu_model()}, {os.cpu_count()} cores, {torch.get_num_threads()} threads")
    print(tab.round(4).to_string())

if __name__ == '__main__':
    main()
