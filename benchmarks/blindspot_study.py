"""The blind-spot denoiser (`spectroscopynet.denoise`) against wavelet denoising and Noise2Self-style masking, on held-out targets.

Usage: python benchmarks/blindspot_study.py CAMPAIGN [--preset cpu] [--steps N] [--seed 0] [--n 300] [--csv FILE]
An exploration, not a test. The denoiser is trained self-supervised on the single shots of the campaign's training
targets (`split_by_target(0.2, seed=0)`), without any clean signal; everything is scored on the held-out targets
against the simulator's truth:
- DENOISING error: the output against the noise-free spectrum y_noisefree = clean + dark + continuum, written as
  `split_error(output − (dark + continuum), clean)`, i.e. ‖output − y_noisefree‖ on the line channels / on the rest,
  each / ‖clean‖ (the units of the recovery errors; ChemCam's kept channels);
- END TO END: each denoiser then arPLS (`BASELINES['arpls']`), relative L2 to the true clean signal (`recovery_row`),
  with `BASELINES['wavelet_arpls']` (the same as the wavelet row) and the oracle (the true background subtracted
  from the raw spectrum: noise left in) as references.
Designs: the observed spectrum; ChemCam's wavelet denoising (`baselines.wavelet_denoise`, 3 σ, per spectrometer, as
in `wavelet_arpls_clean`); the blind-spot prior mean alone (Noise2Self-style masking, no merge); the blind-spot prior
merged with the observation under the fitted noise model (Laine et al. 2019). Single shots: `--n` shots evenly spaced
over the held-out targets; location averages: every held-out location (shots after the 5th, `shot_averages`), the
merge told the averaged noise (`n_shots`), and also "denoise each shot, then average".
Prints the fitted a, b next to the simulator's (a CHECK only: gain = peak_radiance / shot_noise_snr², b = (read_noise ·
peak_radiance)²), CPU seconds, the CPU model."""
import argparse, dataclasses, json, os, time
import numpy as np
import pandas as pd
import torch
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import load_campaign, chemcam_mask, split_by_target, shot_averages
from spectroscopynet.simulate import load_truth
from spectroscopynet.baselines import BASELINES, wavelet_denoise
from spectroscopynet.metrics import split_error, recovery_row
from spectroscopynet.denoise import DenoiserConfig, train_denoiser, denoise, predict_prior, default_segments

def wavelet(y, segments):
    out = np.asarray(y, np.float64).copy()
    for s in segments: out[:, s] = wavelet_denoise(out[:, s])
    return out

def denoising_row(out, background, clean, kept):
    e = split_error(np.asarray(out, np.float64) - background, clean, kept)
    return {'denoise lines': e['lines'], 'denoise rest': e['rest'], 'denoise all': float(np.hypot(e['lines'], e['rest']))}

def score(designs, background, clean, w, kept):
    "one row per design: denoising error (lines / rest) and end to end with arPLS"
    rows = {}
    for name, out in designs.items():
        rows[name] = {**denoising_row(out, background, clean, kept),
                      **{f'+arPLS {k}': v for k, v in recovery_row(BASELINES['arpls'](out, w), clean, kept).items() if k in ('relative L2', 'scale-free')}}
    rows['wavelet_arpls (BASELINES)'] = {f'+arPLS {k}': v for k, v in recovery_row(BASELINES['wavelet_arpls'](designs['observed'], w), clean, kept).items() if k in ('relative L2', 'scale-free')}
    rows['oracle background (noise left)'] = {f'+arPLS {k}': v for k, v in recovery_row(designs['observed'] - background, clean, kept).items() if k in ('relative L2', 'scale-free')}
    return pd.DataFrame(rows).T

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('campaign'); ap.add_argument('--preset', default='cpu', choices=['cpu', 'paper', 'tiny'])
    ap.add_argument('--steps', type=int); ap.add_argument('--width', type=int); ap.add_argument('--window', type=int)
    ap.add_argument('--dilations', help='comma-separated, e.g. 1,1,2,2,4,4,8,8'); ap.add_argument('--lr', type=float)
    ap.add_argument('--fixed-noise', action='store_true', help='keep the difference-based a, b (learn_noise=False)')
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--n', type=int, default=300); ap.add_argument('--csv')
    a = ap.parse_args()
    over = {k: v for k, v in dict(steps=a.steps, width=a.width, window=a.window, lr=a.lr).items() if v is not None}
    if a.dilations: over['dilations'] = tuple(int(d) for d in a.dilations.split(','))
    if a.fixed_noise: over['learn_noise'] = False
    cfg = getattr(DenoiserConfig, a.preset)(**over)
    c = load_campaign(a.campaign); t = load_truth(c, folder=a.campaign)
    bg = t.components['dark'] + t.components['continuum']
    w, kept, segments = c.wavelengths, chemcam_mask(c.wavelengths), default_segments(c.spectra.shape[1])
    train_t, test_t = split_by_target(c.target, 0.2, 0); tgt = np.asarray(c.target)
    test_rows, train_rows = np.flatnonzero(np.isin(tgt, test_t)), np.flatnonzero(np.isin(tgt, train_t))
    rows = test_rows[np.linspace(0, len(test_rows) - 1, a.n).round().astype(int)]
    t0, c0 = time.time(), time.process_time()
    model, nm, hist = train_denoiser(np.asarray(c.spectra[train_rows], np.float32), segments, cfg, a.seed, progress=True)
    train_s = (time.time() - t0, time.process_time() - c0)
    man = t.manifest['config']; true_a = man['peak_radiance'] / man['shot_noise_snr']**2; true_b = (man['read_noise'] * man['peak_radiance'])**2
    # single shots
    y = np.asarray(c.spectra[rows], np.float32); c1 = time.process_time()
    mu, _ = predict_prior(model, y, segments); merged = denoise(model, nm, y, segments); den_s = time.process_time() - c1
    shots = score({'observed': y.astype(np.float64), 'wavelet (ChemCam)': wavelet(y, segments), 'blind-spot mean (Noise2Self-style, no merge)': mu,
                   'blind-spot + merge (Laine)': merged}, bg[rows], t.clean[rows], w, kept)
    # location averages of the held-out targets
    held = c.take(test_rows); avg = shot_averages(held); avg_of = lambda v: shot_averages(held, np.asarray(v, np.float32)).spectra.astype(np.float64)
    ya = avg.spectra
    mu_a, _ = predict_prior(model, ya, segments)
    merged_a = denoise(model, nm, ya, segments, n_shots=avg.n_shots)
    merged_each = avg_of(denoise(model, nm, np.asarray(held.spectra, np.float32), segments))
    locs = score({'observed': ya.astype(np.float64), 'wavelet (ChemCam)': wavelet(ya, segments), 'blind-spot mean (Noise2Self-style, no merge)': mu_a,
                  'blind-spot + merge (Laine)': merged_a, 'blind-spot + merge per shot, then average': merged_each},
                 avg_of(bg[test_rows]), avg_of(t.clean[test_rows]), w, kept)
    print(f"{a.campaign}: denoiser trained on {len(train_rows)} shots of {len(train_t)} training targets ({a.preset} preset "
          f"{json.dumps({k: v for k, v in dataclasses.asdict(cfg).items()})}, seed {a.seed}): {train_s[0]:.0f} s wall, {train_s[1]:.0f} s CPU; "
          f"denoising {len(rows)} shots: {den_s:.1f} s CPU; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {cpu_model()}, "
          f"{os.cpu_count()} cores, {torch.get_num_threads()} threads")
    print(f"noise model fitted (no truth): a = {nm.a:.3g}, b = {nm.b:.3g}; simulator: a = {true_a:.3g}, b = {true_b:.3g} "
          f"(ratios {nm.a / true_a:.2f}, {nm.b / true_b:.2f}); final training nll {hist.nll.iloc[-50:].mean():.4f}")
    print(f"\nheld-out single shots ({len(rows)} of {len(test_t)} targets); denoise errors / ‖clean‖ against clean + dark + continuum:")
    print(shots.round(4).to_string())
    print(f"\nheld-out location averages ({len(ya)} locations, {int(np.median(avg.n_shots))} shots each):")
    print(locs.round(4).to_string())
    if a.csv:
        pd.concat({'single shots': shots, 'location averages': locs}).to_csv(a.csv)

if __name__ == '__main__':
    main()
