"""Time the simulator: the tiny and small campaigns in full, and the paper campaign on a subset of its targets,
extrapolated per target (the paper campaign writes ~4 GB of CSV; this script never leaves it on disk).

    python benchmarks/bench_simulate.py [--paper-targets 12]

Prints wall and CPU seconds (this process; the writer runs in it) and the bytes written. On a shared machine the wall
time depends on the load: the CPU time is the better guide to an idle machine."""
import argparse, os, shutil, tempfile, time
from pathlib import Path
from spectroscopynet.simulate import simulate_campaign, campaign_standards, SimConfig

def _size(folder): return sum(p.stat().st_size for p in Path(folder).rglob('*') if p.is_file())

def run(name, **kw):
    d = Path(tempfile.mkdtemp()) / 'campaign'
    t, c = time.perf_counter(), time.process_time()
    simulate_campaign(d, progress=False, **kw)
    wall, cpu, size = time.perf_counter() - t, time.process_time() - c, _size(d)
    shutil.rmtree(d.parent)
    print(f"{name:<28} wall {wall:7.1f} s   cpu {cpu:7.1f} s   {size/1e6:9.1f} MB", flush=True)
    return wall, cpu, size

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--paper-targets', type=int, default=12)
    ap.add_argument('--skip-small', action='store_true'); a = ap.parse_args()
    import platform
    model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor()) \
        if os.path.exists('/proc/cpuinfo') else platform.processor()
    print(f"CPU {model}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    run('tiny (6 x 2 x 8)', scale='tiny')
    run('tiny, instrument B', scale='tiny', instrument='B')  # + the Gaussian broadening of instrument B
    if not a.skip_small: run('small (122 x 3 x 15)', scale='small')
    names = tuple(campaign_standards(SimConfig.preset('paper')).index)
    k = a.paper_targets
    wall, cpu, size = run(f'paper subset ({k} x 5 x 20)', scale='paper', standards=names[:k])
    n = len(names)
    print(f"paper ({n} x 5 x 20 = {n*100} spectra), extrapolated: wall {wall/k*n/60:.1f} min, cpu {cpu/k*n/60:.1f} min, "
          f"{size/k*n/1e9:.2f} GB")
