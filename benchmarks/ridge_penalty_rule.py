"""Ridge's nested penalty choice: the 'min' rule against the one-standard-error rule ('1se'), per representation.

For each representation (raw, ChemCam-style, wavelet + arPLS, and the simulator's true clean signal) of a simulated
campaign, runs `loso_ridge` with both rules and prints the mean leave-one-standard-out RMSE over the 8 oxides, the
share of (fold, oxide) choices at the grid's smallest penalty, and the paired bootstrap of 1se - min per oxide.
Choose on seed 1, report on seed 0:

    python benchmarks/ridge_penalty_rule.py CAMPAIGN_SEED1   (e.g. made by `spectroscopynet simulate c1 --seed 1`)
    python benchmarks/ridge_penalty_rule.py CAMPAIGN_SEED0
"""
import argparse, os, time
import numpy as np, pandas as pd
from spectroscopynet.calibration import representations, loso_ridge, paired_bootstrap, PENALTY_RULES, OXIDE_NAMES
from spectroscopynet.data import load_campaign
from spectroscopynet.runtime import cpu_model

def rule_table(reps:dict, rules=PENALTY_RULES, n_boot=1000) -> pd.DataFrame:
    "One row per representation: mean RMSE (wt%) and share of choices at the smallest penalty, per rule"
    first = next(iter(reps.values())); ok = np.isfinite(first.compositions).all(1)
    Y, g = first.compositions[ok], first.target[ok]
    rows = []
    for name, r in reps.items():
        fits = {rule: loso_ridge(r.spectra[ok], Y, g, penalty_rule=rule) for rule in rules}
        row = dict(representation=name)
        for rule, fit in fits.items():
            rmse = np.sqrt(((fit.pred - Y)**2).mean(0))
            row[f'{rule} mean RMSE'] = rmse.mean()
            row[f'{rule} at smallest'] = (fit.chosen == 0).mean()
            row[f'{rule} SiO2 at smallest'] = (fit.chosen[:, 0] == 0).mean()
        d = paired_bootstrap(fits['1se'].pred, fits['min'].pred, Y, g, n_boot)
        row['1se better (paired)'] = int((d.hi < 0).sum()); row['1se worse (paired)'] = int((d.lo > 0).sum())
        row['hindsight mean RMSE'] = np.sqrt(((fits['min'].pred_by_alpha - Y)**2).mean(1)).min(0).mean()
        rows.append(row)
    return pd.DataFrame(rows).set_index('representation')

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('data', help='simulated campaign folder (has the truth: adds the oracle row)')
    ap.add_argument('--methods', default='none,chemcam,wavelet_arpls', help='comma-separated baselines')
    a = ap.parse_args()
    print(f"CPU: {cpu_model()}, load average {os.getloadavg()[0]:.1f}; data: {a.data}")
    t = time.perf_counter()
    reps = representations(load_campaign(a.data), tuple(a.methods.split(',')), normalised=(), folder=a.data)
    table = rule_table(reps)
    pd.set_option('display.width', 200)
    print(table.round(3).to_string())
    print(f"({time.perf_counter() - t:.0f} s)")

if __name__ == '__main__': main()
