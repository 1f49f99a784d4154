"""The simulated clean BHVO-2 signal against the four real cleaned ChemCam BHVO-2 spectra (Pearson r per
spectrometer, response divided out), and a composition-free check of line positions on the real Mars CCS file.
The real spectra sit 0.25-0.65 px bluewards of the NIST wavelengths (their own wavelength calibration): they are
aligned by a sub-pixel shift per spectrometer measured by cross-correlation against the seed-1 simulation, and the
seed-0 simulation is scored. The issue asks r >= 0.90 in every spectrometer; asserted here."""
import numpy as np, pandas as pd
from spectroscopynet.simulate import (SimConfig, simulate_target, load_emission_basis, NAMED_STANDARDS, instrument_response,
                                      SPECTROMETERS, _target_rng)
from _real import needs_real_data, real_files, MARS_CCS, BHVO2_TABLES  # the real files are not in the repository: skip without them

def _emission(seed):
    cfg, b = SimConfig.preset('tiny'), load_emission_basis()
    s = simulate_target(cfg, b, NAMED_STANDARDS.loc['bhvo2'], _target_rng(seed, 'bhvo2'))
    late = np.tile(np.arange(cfg.shots), cfg.locations) >= 5
    R, D = instrument_response(b.wavelengths, cfg.response), (1600./s['plasma']['distance_mm'][:, None])**2
    return b.wavelengths, (s['clean']/(R*D))[late].mean(0)

def _shift(x, wl, d):  # x resampled d channels to the red (d > 0 moves lines to longer wavelengths)
    return np.interp(wl - d*np.median(np.diff(wl)), wl, x)

@needs_real_data(*BHVO2_TABLES)
def test_realism_against_real_bhvo2():
    wl, em = _emission(0)
    real = [pd.read_csv(p).intensity.to_numpy() for p in real_files(*BHVO2_TABLES)]
    _, em1 = _emission(1)  # the alignment is measured on seed 1, not on the scored seed
    mean, grid = np.mean(real, 0), np.arange(-1.5, 1.51, 0.05)
    d = {n: grid[np.argmax([np.corrcoef(em1[sl], _shift(mean[sl], wl[sl], g))[0, 1] for g in grid])] for n, sl in SPECTROMETERS.items()}
    assert all(0 < v < 1 for v in d.values()), d  # bluewards by a fraction of a pixel, as measured
    r = pd.DataFrame([{n: np.corrcoef(em[sl], _shift(x[sl], wl[sl], d[n]))[0, 1] for n, sl in SPECTROMETERS.items()} for x in real])
    assert (r["UV"] >= 0.90).all() and (r["VIO"] >= 0.95).all() and (r["VNIR"] >= 0.90).all(), r.round(3)
    raw = pd.DataFrame([{n: np.corrcoef(em[sl], x[sl])[0, 1] for n, sl in SPECTROMETERS.items()} for x in real])
    assert (raw["UV"] > 0.89).all() and (raw["VIO"] > 0.95).all() and (raw["VNIR"] >= 0.91).all(), raw.round(3)  # unaligned

@needs_real_data(MARS_CCS)
def test_major_lines_sit_on_mars_lines():
    from scipy.signal import find_peaks
    from spectroscopynet.data import read_ccs_csv
    wl, em = _emission(0)
    mars = read_ccs_csv(real_files(MARS_CCS)[0]).shots[5:].mean(0)
    hits = []
    for name, sl in SPECTROMETERS.items():
        s, m = em[sl], mars[sl]
        pk, _ = find_peaks(s, distance=10)
        half = int(np.ceil((0.3 if name == 'VNIR' else 0.1)/np.median(np.diff(wl[sl]))))
        for p in pk[np.argsort(s[pk])[::-1][:8]]:
            lo = max(p - half, 1); q = lo + int(np.argmax(m[lo:p + half + 1]))
            hits.append(m[q] > max(m[q-1], m[q+1]) and q not in (lo, p + half))
    assert np.mean(hits) >= 0.9
