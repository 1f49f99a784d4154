"""The learned-cleaning study of issue #20: designs x errors on held-out targets, single shots and location averages.

Usage: python benchmarks/learned_study.py CAMPAIGN [CAMPAIGN ...] [--n 150] [--boot 2000] [--denoiser cpu]
For each CAMPAIGN (simulated, with truth.npz): the targets `split_by_target(0.2, seed=0)` holds out are scored (those
`TrainConfig(seed=0)` never trains on); `--n` single shots evenly spaced among their shots, and every location average
(shots 6.. of each location, as calibration uses them). Rows (the ablation of the issue):
  raw; arPLS; ChemCam-style; wavelet + arPLS (the reference);
  head on raw            the background head (`spectroscopynet.background`) alone, no denoising;
  wavelet + head         ChemCam's wavelet denoising, then the head (`background.background_clean`);
  denoiser + arPLS / denoiser + head / denoiser + head, fine-tuned
                         with --denoiser PRESET: the blind-spot denoiser (`spectroscopynet.denoise`, preset
                         `DenoiserConfig.PRESET()`), trained on the campaign's training targets' shots without any
                         clean signal, then arPLS or the head.
Classical methods clean the location-averaged raw spectra (as `calibration` does); a learned denoiser cleans single
shots, which are then averaged (as `calibration` applies a run), and, as one more row, the averaged raw spectra with
its noise model divided by the number of shots averaged. Errors against the simulator's truth on the ChemCam mask: relative L2, scale-free,
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

def learned_denoiser(c, train_rows, held, preset):
    "The blind-spot denoiser trained on the training targets' shots (no clean signal); held-out shots denoised, CPU s"
    from spectroscopynet.denoise import DenoiserConfig, train_denoiser, denoise
    from spectroscopynet.background import grid_segments
    segs, c0 = grid_segments(c.wavelengths), time.process_time()
    model, noise_model, _ = train_denoiser(c.spectra[train_rows], segs, getattr(DenoiserConfig, preset)(), 0, False)
    z = np.zeros(c.spectra.shape, np.float32); z[held] = denoise(model, noise_model, c.spectra[held], segs)
    denoise_average = lambda avg, n_shots: denoise(model, noise_model, avg, segs, n_shots=n_shots[:, None])
    return z, denoise_average, time.process_time() - c0

def study(folder, n, n_boot, denoiser):
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
    if denoiser:
        z, denoise_average, train_cpu = learned_denoiser(c, np.flatnonzero(~held), held, denoiser)
        for name, f in {'denoiser + arPLS': BASELINES['arpls'], 'denoiser + head': lambda y, w: background_clean(y, w, denoise=False)}.items():
            c0 = time.process_time()
            zs = np.zeros(z.shape); zs[held] = f(z[held], w)
            shots[name] = zs[rows]; averages[name] = shot_averages(c, spectra=zs).spectra[arows]
            cpu[name] = time.process_time() - c0 + train_cpu
        c0 = time.process_time()  # the same pipeline on the averaged raw spectra, the noise model divided by the shots averaged
        za = denoise_average(avg.spectra[arows], avg.n_shots[arows].astype(np.float32))
        averages['denoiser + head, on the average'] = background_clean(za, w, denoise=False)
        cpu['denoiser + head, on the average'] = time.process_time() - c0 + train_cpu
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
    ap.add_argument('--boot', type=int, default=2000); ap.add_argument('--denoiser', default='', help="'' (none), 'cpu', 'tiny' or 'paper': a DenoiserConfig preset")
    a = ap.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {cpu_model()}, {os.cpu_count()} cores, "
          f"{torch.get_num_threads()} torch threads, load {os.getloadavg()[0]:.1f}")
    for folder in a.campaigns:
        c, test_t, n_shots, n_avg, tables = study(folder, a.n, a.boot, a.denoiser)
        for label, tab in tables.items():
            n_items = n_shots if label == 'single shots' else n_avg
            print(f"\n{folder}: {label}, {n_items} of {len(test_t)} held-out targets; paired bootstrap over targets ({a.boot})")
            print(tab.round(4).to_string())

if __name__ == '__main__':
    main()
