"""Time each classical baseline of `spectroscopynet.baselines` per spectrum on the ChemCam grid.

Usage: python benchmarks/bench_baselines.py [--n 500] [--seed 0] [--methods chemcam,airpls]
Spectra: the synthetic stand-in of the baselines chapter (lines + continuum + dark + noise) on the real ChemCam
wavelength grid. Prints the CPU, the core count, and one row per method (wall-clock and CPU ms per spectrum)."""
import argparse, os, platform
import numpy as np
from spectroscopynet.baselines import BASELINES, synthetic_libs_spectra, time_baselines
from spectroscopynet.data import chemcam_wavelengths
from spectroscopynet.runtime import cpu_model

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=500, help='spectra per method')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--methods', default=','.join(BASELINES), help='comma-separated names in BASELINES')
    a = p.parse_args()
    wavelengths = chemcam_wavelengths()
    spectra = synthetic_libs_spectra(wavelengths, n=a.n, seed=a.seed)['raw']
    table = time_baselines(spectra, wavelengths, methods=a.methods.split(','))
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores, one process); Python {platform.python_version()}; "
          f"{a.n} synthetic spectra (6144 channels), seed {a.seed}")
    print('| method | wall ms per spectrum | CPU ms per spectrum |\n|---|---:|---:|')
    for name, row in table.iterrows():
        print(f"| {name} | {row['wall ms per spectrum']:.2f} | {row['CPU ms per spectrum']:.2f} |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")

if __name__ == '__main__':
    main()
