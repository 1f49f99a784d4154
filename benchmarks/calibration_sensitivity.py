"""When does removing the noise pay in a linear calibration? The oracle (true clean signal) against raw, per campaign variant.

Usage: python benchmarks/calibration_sensitivity.py [--scale small] [--seed 0] [--instrument A] [--variants a,b,...]
                                                   [--workers 2] [--out runs/sensitivity]
For each variant a simulated campaign is written to a temporary folder, calibrated leave-one-standard-out with the
paper's head (`sgd`) and ridge on the raw spectra and on the oracle (the simulator's true clean signal), then deleted.
Printed per variant and regressor: mean RMSE over the 8 oxides (raw, oracle, raw norm1), and on how many oxides the
oracle beats raw (and raw beats the oracle) by a paired bootstrap interval over standards that excludes 0; for ridge
also a hindsight bound: the mean RMSE with each oxide's best single penalty of the grid, picked on the held-out errors
themselves (optimistic: it shows whether the nested penalty choice, not the input, is what holds a row back).
The variants scale the *noise* (continuum + dark, photon + read noise) and switch off the *non-linear signal physics*
(self-absorption, plasma-state and ablation variation, matrix effects; the standoff is the lab's fixed 1.6 m by default)
one group at a time, and add the Mars-like standoff scatter (1.6-3.0 m per location, `MARS_STANDOFF_MM`), so the table
separates the two reasons a calibration can be wrong: noise (what a cleaning removes) and a signal that is not linear
in the composition (what no cleaning removes). Every variant's result is saved as `<out>/<variant>.json` when it is
done; a rerun skips the finished ones (delete the folder to start again). Prints the CPU and the time taken."""
import argparse, json, os, shutil, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

NONLINEAR_OFF = dict(self_absorption=0., sigma_T_location=0., sigma_T_shot=0., sigma_logne_location=0., sigma_logne_shot=0.,
                     T_per_eie_at_pct=0., logne_per_eie_at_pct=0., ablation_sigma_location=0., ablation_sigma_shot=0.,
                     ablation_per_feot_10pct=0., distance_mm=(1600., 1600.))  # the standoff: the lab's fixed 1.6 m (the default)

def _slug(name): return name.replace(' ', '_').replace(',', '')

def variants(scale, instrument):
    "name -> SimConfig field overrides"
    from spectroscopynet.simulate import SimConfig, MARS_STANDOFF_MM
    cfg = SimConfig.preset(scale, instrument)
    bg = lambda s: dict(continuum_level=s * cfg.continuum_level, dark_levels=tuple(s * d for d in cfg.dark_levels))
    return {'default': {},
            'Mars-like standoff scatter': dict(distance_mm=MARS_STANDOFF_MM),  # 1.6-3.0 m per location instead of the lab's 1.6 m
            'background x2': bg(2), 'background x5': bg(5), 'background x10': bg(10),
            'photon + read noise x3': dict(shot_noise_snr=cfg.shot_noise_snr / 3, read_noise=3 * cfg.read_noise),
            'linear signal physics': dict(NONLINEAR_OFF),
            'linear signal physics, background x5': {**NONLINEAR_OFF, **bg(5)}}

def run_variant(name, overrides, scale, seed, instrument, tmp):
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    import numpy as np
    from spectroscopynet.simulate import simulate_campaign
    from spectroscopynet.calibration import calibrate, representations, loso_ridge
    from spectroscopynet.data import load_campaign
    t0, c0 = time.time(), time.process_time()
    folder = simulate_campaign(Path(tmp) / _slug(name), scale, seed=seed, instrument=instrument,
                               progress=False, overwrite=True, **overrides)
    try:
        campaign = load_campaign(folder)  # read once; it knows its folder, where calibrate finds the truth
        res = calibrate(campaign, methods=('none',), regressors=('sgd', 'ridge'), normalised=('raw',), seed=0)
        reps = representations(campaign, ('none',), normalised=())
        ok = np.isfinite(reps['raw'].compositions).all(1); Y, g = reps['raw'].compositions[ok], reps['raw'].target[ok]
        # hindsight bound: each oxide's best single penalty of the grid, chosen on the held-out errors themselves
        best = {k: float(np.sqrt(((loso_ridge(reps[k].spectra[ok], Y, g).pred_by_alpha - Y)**2).mean(1)).min(0).mean())
                for k in ('raw', 'oracle')}
    finally: shutil.rmtree(folder, ignore_errors=True)
    mean = res.rmse.groupby(['regressor', 'representation']).rmse.mean()
    p = res.paired
    out = dict(variant=name, overrides={k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()},
               scale=scale, seed=seed, instrument=instrument, wall_s=time.time() - t0, cpu_s=time.process_time() - c0)
    for reg in ('sgd', 'ridge'):
        d = p[(p.regressor == reg) & (p.representation == 'oracle') & (p.reference == 'raw')]
        out[reg] = dict(raw=float(mean[(reg, 'raw')]), oracle=float(mean[(reg, 'oracle')]),
                        raw_norm1=float(mean[(reg, 'raw norm1')]), mean_predictor=float(mean[(reg, 'mean predictor')]),
                        oracle_wins=int((d.hi < 0).sum()), raw_wins=int((d.lo > 0).sum()),
                        oracle_minus_raw=dict(zip(d.oxide, map(float, d['diff']))))
    out['ridge'].update(raw_best_alpha=best['raw'], oracle_best_alpha=best['oracle'])
    return out

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--scale', default='small'); p.add_argument('--seed', type=int, default=0)
    p.add_argument('--instrument', default='A'); p.add_argument('--variants', default=None)
    p.add_argument('--workers', type=int, default=2); p.add_argument('--out', default='runs/sensitivity')
    a = p.parse_args()
    import numpy as np, pandas as pd
    from spectroscopynet.runtime import cpu_model
    from spectroscopynet import __version__
    todo = variants(a.scale, a.instrument)
    if a.variants: todo = {k: todo[k] for k in a.variants.split(',')}
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    path = lambda n: out / f"{_slug(n)}_{a.scale}_s{a.seed}_{a.instrument}.json"
    results = {n: json.loads(path(n).read_text()) for n in todo if path(n).exists()}
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(a.workers) as pool:
        jobs = {pool.submit(run_variant, n, kw, a.scale, a.seed, a.instrument, tmp): n for n, kw in todo.items() if n not in results}
        for i, job in enumerate(jobs, 1):
            r = job.result(); n = jobs[job]; results[n] = r
            part = path(n).with_suffix('.partial'); part.write_text(json.dumps(r, indent=1)); part.replace(path(n))
            print(f"[{i}/{len(jobs)}] {n}: {r['wall_s']:.0f} s wall", flush=True)
    rows = []
    for n in todo:
        r = results[n]
        for reg in ('sgd', 'ridge'):
            q = r[reg]
            rows.append({'variant': n, 'regressor': reg, 'raw': q['raw'], 'oracle': q['oracle'],
                         'oracle - raw': q['oracle'] - q['raw'], 'raw norm1': q['raw_norm1'],
                         'oxides oracle < raw (paired)': q['oracle_wins'], 'oxides raw < oracle (paired)': q['raw_wins'],
                         'raw, best alpha': q.get('raw_best_alpha', np.nan), 'oracle, best alpha': q.get('oracle_best_alpha', np.nan)})
    tab = pd.DataFrame(rows).set_index(['variant', 'regressor'])
    print(f"spectroscopynet {__version__}; SIMULATED campaign '{a.scale}', seed {a.seed}, instrument {a.instrument}; "
          f"mean LOSO RMSE over 8 oxides (wt%); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {cpu_model()}, "
          f"{os.cpu_count()} cores; this run {time.time() - t0:.0f} s wall")
    print(tab.round(3).to_string())

if __name__ == '__main__':
    main()
