"""Every cleaning method on the SAME held-out spectra of a simulated campaign: `baselines.heldout_recovery`, printed.

Usage: python benchmarks/recovery_study.py CAMPAIGN [RUN ...] [--n 150] [--methods none,chemcam,arpls,...]
The package function does the work (one implementation: `spectroscopynet reproduce` opens its report with the same
table, `spectroscopynet train` closes with it): the targets each RUN's own config holds out (`split_by_target` with
its test_fraction and seed; without a RUN, test_fraction 0.2 and seed 0, as `TrainConfig` defaults), `--n` single
shots evenly spaced among their shots and every location average, every method of `BASELINES` (or `--methods`), the
run's learned cleaning and the oracle "y - dark - continuum", with paired bootstrap intervals over targets of learned
minus each method. Prints one markdown block per RUN (or one without a run), the CPU seconds of each method, and the
CPU model."""
import argparse, os, time
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import load_campaign
from spectroscopynet.baselines import heldout_recovery
from spectroscopynet.figures import heldout_markdown

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('campaign'); p.add_argument('runs', nargs='*')
    p.add_argument('--n', type=int, default=150, help="single shots scored (default 150)")
    p.add_argument('--methods', default=None, help="comma-separated names in BASELINES (default all)")
    a = p.parse_args(argv)
    c = load_campaign(a.campaign); c.folder = a.campaign
    methods = a.methods.split(',') if a.methods else None
    for run in a.runs or [None]:
        w0 = time.perf_counter()
        res = heldout_recovery(c, run, n_shots=a.n, methods=methods)
        cmd = f"python benchmarks/recovery_study.py {a.campaign}" + (f" {run}" if run else '') + f" --n {a.n}"
        print(heldout_markdown(res, cmd, heading='##'))
        if res.truth:
            print("CPU seconds per method (both views): " + ', '.join(f"{k} {v:.1f}" for k, v in res.info['cpu_seconds'].items()))
        print(f"wall {time.perf_counter() - w0:.0f} s; {cpu_model()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")

if __name__ == '__main__':
    main()
