"""The learned-cleaning study of issue #20: designs x errors on held-out targets, single shots and location averages.

Usage: python benchmarks/learned_study.py CAMPAIGN [CAMPAIGN ...] [--n 150] [--boot 2000] [--denoiser-epochs E]
For each CAMPAIGN (simulated, with truth.npz): the targets `split_by_target(0.2, seed=0)` holds out are scored (those
`TrainConfig(seed=0)` never trains on); `--n` single shots evenly spaced among their shots, and every location average
(shots 6.. of each location, as calibration uses them). Rows (the ablation of the issue):
  raw; arPLS; ChemCam-style; wavelet + arPLS (the reference);
  head on raw            the background head (`spectroscopynet.background`) alone, no denoising;
  wavelet + head         ChemCam's wavelet denoising, then the head (`background.background_clean`);
  denoiser + arPLS / denoiser + head / denoiser + head, fine-tuned
                         only when `spectroscopynet.denoise` is importable (the learned blind-spot denoiser, trained
                         on the campaign's training targets without any clean signal) and --denoiser-epochs > 0.
Classical methods clean the location-averaged raw spectra (as `calibration` does); a learned denoiser cleans single
shots, which are then averaged. Errors against the simulator's truth on the ChemCam mask: relative L2, scale-free,
L2 on lines / rest (`spectroscopynet.metrics.recovery_row`), and the paired bootstrap over held-out targets of the
relative-L2 difference to wavelet + arPLS (95 % interval; negative = better than the reference). Prints CPU seconds
per method and the CPU model."""
import argparse, os, time
import numpy as np
import pandas as pd
import torch
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import load_campaign, chemcam_mask, split_by_target, shot_averages
from spectroscopynet.simulate import load_truth
from spectroscopynet.baselines import BASELINES
from spectroscopynet.background import background_clean
from spectroscopynet.metrics import recovery_row

REFERENCE = 'wavelet + arPLS'
CLASSICAL = {'raw': BASELINES['none'], 'arPLS': BASELINES['arpls'], 'ChemCam-style': BASELINES['chemcam'],
             REFERENCE: BASELINES['wavelet_arpls'],
             'head on raw': lambda y, w: background_clean(y, w, denoise=False),
             'wavelet + head': background_clean}

def per_spectrum_l2(out, clean, kept):
    a, b = np.asarray(out, np.float64)[:, kept], np.asarray(clean, np.float64)[:, kept]
    return np.linalg.norm(a - b, axis=-1) / np.linalg.norm(b, axis=-1)

def paired_interval(err, ref, groups, n_boot, seed=0):
    "95 % bootstrap interval over groups (targets) of mean(err - ref) per group, averaged"
    names = np.unique(groups); d = np.array([np.mean(err[groups == g] - ref[groups == g]) for g in names])
    idx = np.random.default_rng(seed).integers(0, len(d), (n_boot, len(d)))
    return d.mean(), *np.percentile(d[idx].mean(1), [2.5, 97.5])

def learned_rows(c, train_rows, epochs):
    "The learned denoiser's outputs on all spectra of the campaign, or {} when the module is not there"
    try: from spectroscopynet.denoise import DenoiserConfig, train_denoiser, denoise
    except ImportError: return None
    from spectroscopynet.background import grid_segments
    segs = grid_segments(c.wavelengths); c0 = time.process_time()
    model, noise_model, _ = train_denoiser(c.spectra[train_rows], segs, DenoiserConfig(epochs=epochs), 0, False)
    return denoise(model, noise_model, c.spectra, segs), time.process_time() - c0

def study(folder, n, n_boot, epochs):
    c = load_campaign(folder); t = load_truth(c, folder=folder, components=False)
    w, kept, tgt = c.wavelengths, chemcam_mask(c.wavelengths), np.asarray(c.target)
    train_t, test_t = split_by_target(tgt, 0.2, 0)
    held = np.isin(tgt, test_t)
    rows = np.flatnonzero(held); rows = rows[np.linspace(0, len(rows) - 1, n).round().astype(int)]
    avg = shot_averages(c); avg_clean = shot_averages(c, spectra=t.clean).spectra
    arows = np.flatnonzero(np.isin(avg.target, test_t))
    shots, averages, cpu = {}, {}, {}
    for name, f in CLASSICAL.items():
        c0 = time.process_time()
        shots[name] = f(c.spectra[rows], w); averages[name] = f(avg.spectra[arows], w)
        cpu[name] = time.process_time() - c0
    den = learned_rows(c, np.flatnonzero(~held), epochs) if epochs > 0 else None
    if den is not None:
        z, train_cpu = den
        for name, f in {'denoiser + arPLS': BASELINES['arpls'], 'denoiser + head': lambda y, w: background_clean(y, w, denoise=False)}.items():
            c0 = time.process_time()
            shots[name] = f(z[rows], w)
            zs = np.zeros_like(z); zs[held] = f(z[held], w)
            averages[name] = shot_averages(c, spectra=zs).spectra[arows]
            cpu[name] = time.process_time() - c0 + train_cpu
    tables = {}
    for label, outs, clean, groups in (('single shots', shots, t.clean[rows], tgt[rows]),
                                       ('location averages', averages, avg_clean[arows], avg.target[arows])):
        tab = pd.DataFrame({k: recovery_row(v, clean, kept) for k, v in outs.items()}).T
        ref = per_spectrum_l2(outs[REFERENCE], clean, kept)
        ci = {k: paired_interval(per_spectrum_l2(v, clean, kept), ref, groups, n_boot) for k, v in outs.items()}
        tab[f'Δ vs {REFERENCE}'] = pd.Series({k: v[0] for k, v in ci.items()})
        tab['95% CI'] = pd.Series({k: f"[{v[1]:+.4f}, {v[2]:+.4f}]" for k, v in ci.items()})
        tab['CPU s (both sets)'] = pd.Series(cpu)
        tables[label] = tab
    return c, test_t, len(rows), len(arows), tables

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('campaigns', nargs='+'); ap.add_argument('--n', type=int, default=150)
    ap.add_argument('--boot', type=int, default=2000); ap.add_argument('--denoiser-epochs', type=int, default=0)
    a = ap.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {cpu_model()}, {os.cpu_count()} cores, "
          f"{torch.get_num_threads()} torch threads, load {os.getloadavg()[0]:.1f}")
    for folder in a.campaigns:
        c, test_t, n_shots, n_avg, tables = study(folder, a.n, a.boot, a.denoiser_epochs)
        for label, tab in tables.items():
            n_items = n_shots if label == 'single shots' else n_avg
            print(f"\n{folder}: {label}, {n_items} of {len(test_t)} held-out targets; paired bootstrap over targets ({a.boot})")
            print(tab.round(4).to_string())

if __name__ == '__main__':
    main()
