"""Every cleaning method on the SAME held-out single shots of a simulated campaign: relative L2, scale-free, lines/rest.

Usage: python benchmarks/recovery_study.py CAMPAIGN [RUN ...] [--n 150] [--methods none,chemcam,arpls,...]
Held-out rows: the targets `split_by_target(test_fraction=0.2, seed=0)` holds out (those `TrainConfig(seed=0)` never
trains on), `--n` shots evenly spaced among them. Each RUN (a finished `spectroscopynet train` folder trained on
CAMPAIGN with seed 0) is scored on the same shots as the classical methods. Also prints the oracle "y - dark -
continuum" (perfect background removal, shot and read noise left) for scale. Prints a markdown table and the CPU."""
import argparse, os, time
import numpy as np
import pandas as pd
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import load_campaign, chemcam_mask, split_by_target
from spectroscopynet.simulate import load_truth
from spectroscopynet.baselines import BASELINES, clean_with_run
from spectroscopynet.metrics import recovery_row

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('campaign'); p.add_argument('runs', nargs='*')
    p.add_argument('--n', type=int, default=150); p.add_argument('--methods', default='none,chemcam,arpls,airpls,snip,mor,wavelet_arpls')
    a = p.parse_args()
    c = load_campaign(a.campaign); t = load_truth(c, folder=a.campaign)
    _, test = split_by_target(c.target, 0.2, 0)
    rows = np.flatnonzero(np.isin(np.asarray(c.target), test))
    rows = rows[np.linspace(0, len(rows) - 1, a.n).round().astype(int)]
    y, u, kept = c.spectra[rows], t.clean[rows], chemcam_mask(c.wavelengths)
    out, cpu = {'oracle: y - dark - continuum': y - t.components['dark'][rows] - t.components['continuum'][rows]}, {}
    for name in a.methods.split(','):
        c0 = time.process_time(); out[name] = BASELINES[name](y, c.wavelengths); cpu[name] = time.process_time() - c0
    for r in a.runs:
        c0 = time.process_time(); out[f'learned: {os.path.basename(r.rstrip("/"))}'] = clean_with_run(r, y, c.wavelengths)
        cpu[f'learned: {os.path.basename(r.rstrip("/"))}'] = time.process_time() - c0
    tab = pd.DataFrame({k: recovery_row(v, u, kept) for k, v in out.items()}).T
    tab['CPU ms / spectrum'] = pd.Series({k: 1e3 * v / len(rows) for k, v in cpu.items()})
    print(f"{a.campaign}: {len(rows)} single shots of {len(test)} held-out targets; {cpu_model()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    print(tab.round(3).to_string())

if __name__ == '__main__':
    main()
