"""Fit the simulator's composition model and write it to spectroscopynet/assets/composition_model.json.

The simulator draws the compositions of its synthetic calibration standards from a statistical model of the real
ChemCam calibration set (386 targets; the PDS table `ccam_calibration_compositions.csv`, Clegg et al. 2017, as kept by
the chhoumann/thesis-chemcam repository). The real table is NOT shipped with the package: only this model (a few
numbers made by our code) is. It is refitted from the real table with

    python tools/make_composition_model.py [--real PATH_TO/thesis_chemcam_compositions] [--out ASSET]

The model: each target is a composition of 10 parts (the 9 oxides of the table, wt%, and 'rest' = 100 - their sum:
P2O5, volatiles, traces, analytical closure). Exact zeros (below detection) are set to ZERO_FLOOR_WT_PCT and the rest
to at least REST_FLOOR_WT_PCT, the parts are closed to 100 wt% and mapped to isometric log-ratio (ilr) coordinates
(Egozcue et al. 2003; Helmert basis, scipy.linalg.helmert), where a Gaussian mixture (scikit-learn, full covariances,
number of components chosen by BIC) is fitted. `spectroscopynet.simulate.draw_compositions` samples it back (redrawing
the few draws whose oxide total falls below the real set's lowest, 35 wt%: the mixture's tails reach further).
The asset records the source file's sha256, n, the floors and the fit settings.
"""
import argparse, hashlib, json
from pathlib import Path
import numpy as np, pandas as pd
from scipy.linalg import helmert
from sklearn.mixture import GaussianMixture

OXIDES = ['SiO2','TiO2','Al2O3','FeOT','MnO','MgO','CaO','Na2O','K2O']
ZERO_FLOOR_WT_PCT = 0.005   # half the usual 0.01 wt% reporting limit, for cells reported as 0 or empty
REST_FLOOR_WT_PCT = 0.5     # the unlisted part (P2O5, volatiles, traces) is at least this (tables that sum >= 100)
COMPONENTS = range(1, 11)   # candidate mixture sizes, chosen by BIC
FIT = dict(covariance_type='full', reg_covar=1e-3, n_init=5, max_iter=1000, random_state=0)
REPO = Path(__file__).resolve().parents[1]
SOURCE = 'ccam_calibration_compositions_with_split.csv'

def parts(table: pd.DataFrame) -> np.ndarray:
    "The 10-part compositions (n, 10), closed to 100 wt%: floored oxides + rest"
    ox = table[OXIDES].apply(pd.to_numeric, errors='coerce').fillna(0.0).clip(lower=ZERO_FLOOR_WT_PCT).to_numpy(float)
    rest = np.maximum(100 - ox.sum(1), REST_FLOOR_WT_PCT)
    x = np.column_stack([ox, rest])
    return 100*x/x.sum(1, keepdims=True)

def ilr(x: np.ndarray) -> np.ndarray:
    "Isometric log-ratio coordinates (n, D-1) of compositions (n, D) (Helmert basis)"
    clr = np.log(x) - np.log(x).mean(1, keepdims=True)
    return clr @ helmert(x.shape[1]).T

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    from spectroscopynet.data import real_data_path  # $SPECTROSCOPYNET_REAL_DATA, else shared/data/real beside the repository
    ap.add_argument('--real', default=str(real_data_path('thesis_chemcam_compositions')), help='folder holding ' + SOURCE)
    ap.add_argument('--out', default=str(REPO/'spectroscopynet'/'assets'/'composition_model.json'))
    a = ap.parse_args()
    src = Path(a.real)/SOURCE
    table = pd.read_csv(src)
    z = ilr(parts(table))
    fits = {k: GaussianMixture(k, **FIT).fit(z) for k in COMPONENTS}
    bic = {k: float(g.bic(z)) for k, g in fits.items()}
    k = min(bic, key=bic.get); g = fits[k]
    model = {
        'description': "Gaussian mixture of the real ChemCam calibration standards' compositions in isometric log-ratio "
                       "coordinates (Helmert basis) of the 10 parts [9 oxides wt%, rest]; made by tools/make_composition_model.py",
        'parts': OXIDES + ['rest'], 'basis': 'scipy.linalg.helmert(10), rows = ilr axes',
        'zero_floor_wt_pct': ZERO_FLOOR_WT_PCT, 'rest_floor_wt_pct': REST_FLOOR_WT_PCT,
        'min_oxide_total_wt_pct': float(np.floor(table[OXIDES].fillna(0).sum(axis=1).min())),  # draws below the real minimum are redrawn
        'weights': g.weights_.tolist(), 'means': g.means_.tolist(), 'covariances': g.covariances_.tolist(),
        'provenance': {'source': f'thesis_chemcam_compositions/{SOURCE} (rows of the NASA PDS table '
                                 'calib/ccam_calibration_compositions.csv, Clegg et al. 2017; see its PROVENANCE.md)',
                       'source_sha256': hashlib.sha256(src.read_bytes()).hexdigest(), 'n': int(len(table)),
                       'fit': {'library': f'scikit-learn {__import__("sklearn").__version__} GaussianMixture', **FIT,
                               'n_components': int(k), 'chosen_by': 'lowest BIC over ' + str(list(COMPONENTS)),
                               'bic': {str(c): round(b, 1) for c, b in bic.items()}}},
    }
    out = Path(a.out); tmp = out.with_suffix('.tmp')
    tmp.write_text(json.dumps(model, indent=1) + '\n'); tmp.replace(out)
    print(f"{out}: {k} components (BIC), n={len(table)}, source sha256 {model['provenance']['source_sha256'][:12]}")

if __name__ == '__main__':
    main()
