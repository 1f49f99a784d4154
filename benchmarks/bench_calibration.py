"""Wall time of the full leave-one-standard-out calibration at the paper's shape.

2040 shot-averaged spectra (408 standards x 5 locations) x 5485 channels, 8 oxides, 3 representations, random but
structured (compositions -> emission lines with a self-absorption power, continuum, noise). Times: the paper's batched
SGD head in the dual (200 epochs, batch 64), ridge with closed-form grouped leave-one-out and nested penalty choice,
and one PLS fit (extrapolated to 408 leave-one-standard-out fits and to GroupKFold(10)).

The SGD head is timed against the previous implementation (`benchmarks/sgd_head_reference.py`) in the same run: its
time, the new time per precision ('fp32'; 'bf16' = the chunk products from bf16 inputs with fp32 accumulation, what
the package picks on CPUs with native bf16), the ratio, and the largest |prediction difference| (wt%) from the old one.

    python benchmarks/bench_calibration.py                  # everything, full epochs
    python benchmarks/bench_calibration.py --sgd-epochs 20  # SGD timed over 20 epochs, extrapolated to 200
    python benchmarks/bench_calibration.py --reps 3 --skip-pls --sgd-precisions auto  # only the package's choice
"""
import argparse, os, sys, time
import numpy as np, torch
from spectroscopynet.calibration import (loso_linear_head, loso_ridge, _centred_kernel_parts, fold_train_masks,
                                         paired_bootstrap, bootstrap_rmse, normalise_total, loso_mean)
from spectroscopynet.runtime import cpu_model, cpu_bf16_support, autocast_dtype
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sgd_head_reference import loso_linear_head_reference

def paper_shaped(seed, n_standards=408, n_locations=5, n_channels=5485):
    rng = np.random.default_rng(seed)
    comp = rng.dirichlet(np.full(8, 2.0), n_standards) * 100
    idx = np.repeat(np.arange(n_standards), n_locations)
    u = np.linspace(0, 1, n_channels)
    lines = np.exp(-0.5 * ((u[None, None] - rng.uniform(0, 1, (8, 30))[..., None]) / 3e-4)**2).sum(1)
    S = comp[idx] @ lines
    X = (S + 0.05 * S**1.3 + 5 * rng.uniform(0.5, 1.5, (len(idx), 1)) * np.exp(-((u - 0.4) / 0.3)**2)
         + rng.normal(0, 0.5, S.shape)).astype(np.float32)
    return X, comp[idx], np.array([f'std{i:03d}' for i in idx])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=3); ap.add_argument('--sgd-epochs', type=int, default=200)
    ap.add_argument('--skip-sgd', action='store_true'); ap.add_argument('--skip-pls', action='store_true')
    ap.add_argument('--sgd-precisions', default='fp32,bf16', help="comma-separated: fp32, bf16, auto (the package's rule)")
    ap.add_argument('--skip-reference', action='store_true', help='do not time the previous SGD implementation')
    a = ap.parse_args()
    print(f"CPU time counts both cores: on an idle machine wall ~ CPU / 2 for the multithreaded parts")
    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical cores, torch {torch.__version__} threads {torch.get_num_threads()}, "
          f"load average {os.getloadavg()[0]:.1f}; native bf16: {cpu_bf16_support()}, package precision for the SGD head "
          f"products: {'bf16' if autocast_dtype(torch.device('cpu')) == torch.bfloat16 else 'fp32'}")
    data = [paper_shaped(s) for s in range(a.reps)]
    X, Y, g = data[0]; print(f"shape per representation: {X.shape[0]} x {X.shape[1]}, {len(np.unique(g))} standards, 8 oxides")
    t, c = time.perf_counter(), time.process_time()
    for X, Y, g in data:
        r = loso_ridge(X, Y, g); rm = np.sqrt(((r.pred - Y)**2).mean(0))
    t_ridge, c_ridge = time.perf_counter() - t, time.process_time() - c
    print(f"ridge, closed-form LOSO + nested alpha ({len(r.alphas)} alphas), {a.reps} representations: wall {t_ridge:.1f} s, "
          f"CPU {c_ridge:.1f} s (RMSE SiO2 {rm[0]:.2f} wt%)", flush=True)
    X, Y, g = data[0]; t, c = time.perf_counter(), time.process_time()
    for how in ('norm3', 'norm1'): normalise_total(X, np.repeat([0, 1, 2], [1800, 1800, X.shape[1] - 3600]), how)
    m = loso_mean(Y, g); n_pairs = a.reps * (a.reps + 1)  # every representation vs raw, oracle, chemcam and the mean
    for _ in range(n_pairs): paired_bootstrap(r.pred, m, Y, g, 1000)
    t_tab, c_tab = time.perf_counter() - t, time.process_time() - c
    print(f"table rows: norm3 + norm1 of one representation, mean predictor, {n_pairs} paired bootstraps (1000 resamples): "
          f"wall {t_tab:.1f} s, CPU {c_tab:.1f} s = {t_tab / t_ridge:.2f} x the ridge step", flush=True)
    if not a.skip_sgd:
        x, kw = 200 / a.sgd_epochs, dict(epochs=a.sgd_epochs, decay_after=min(75, a.sgd_epochs - 1))
        def timed(fit, label):
            t, c = time.perf_counter(), time.process_time()
            preds = [fit(X, Y, g) for X, Y, g in data]
            t, c = time.perf_counter() - t, time.process_time() - c
            print(f"sgd dual head {label}, 408 folds at once, {a.sgd_epochs} epochs, {a.reps} representations: wall {t:.1f} s, "
                  f"CPU {c:.1f} s" + (f" -> extrapolated to 200 epochs: wall {t * x:.0f} s, CPU {c * x:.0f} s" if x != 1 else "")
                  + f" (RMSE SiO2 {np.sqrt(((preds[-1] - data[-1][1])**2).mean(0))[0]:.2f} wt%; "
                  f"load average {os.getloadavg()[0]:.1f})", flush=True)
            return t, preds
        if not a.skip_reference: t_old, p_old = timed(lambda X, Y, g: loso_linear_head_reference(X, Y, g, **kw), 'previous')
        for prec in a.sgd_precisions.split(','):
            t_new, p_new = timed(lambda X, Y, g: loso_linear_head(X, Y, g, precision=prec, **kw), f'[{prec}]')
            if not a.skip_reference:
                d = max(np.abs(p - q).max() for p, q in zip(p_new, p_old))
                print(f"  [{prec}] vs previous: time ratio new/old {t_new / t_old:.2f} (speed-up {t_old / t_new:.2f}x), "
                      f"max |prediction difference| {d:.2e} wt%", flush=True)
    if not a.skip_pls:
        from sklearn.cross_decomposition import PLSRegression
        X, Y, g = data[0]; tr = g != g[0]
        t, c = time.perf_counter(), time.process_time()
        PLSRegression(10, scale=False).fit(X[tr], Y[tr]); t_pls, c_pls = time.perf_counter() - t, time.process_time() - c
        print(f"pls, one fit (10 components, {tr.sum()} rows): wall {t_pls:.1f} s, CPU {c_pls:.1f} s -> LOSO {408 * a.reps} fits "
              f"~{408 * a.reps * t_pls / 60:.0f} min; GroupKFold(10) ~{10 * a.reps * t_pls:.0f} s")

if __name__ == '__main__': main()
