"""`spectroscopynet clean` end to end on a simulated campaign folder: files/s, spectra/s, and where the time goes.

Cleans the first `--files` location files of a simulated campaign (default: /tmp/campaigns/small_s0 if present, else a
fresh `simulate --scale tiny` campaign) into a temporary folder, once per method: `learned` (the fast inference path of
a network of the `--model-size` preset; its weights are untrained, which changes nothing in the timing) and `chemcam`
(the ChemCam-style chain). Prints files/s, spectra/s and the share of time spent reading, computing and writing, with the
CPU model and the load average (other processes share the cores: compare the rows of one run, not absolutes).
Usage: python benchmarks/bench_clean.py [--data DIR] [--files 20] [--model-size cpu|paper]

With `--precision-check RUN_DIR` it instead measures what bf16 changes in the cleaned output of a trained run on
`--spectra` spectra of the simulated campaign `--data` (held-out targets first): the max/mean relative difference
bf16 vs fp32 and the signal-recovery error of each against the simulator's truth. bf16 is forced through the same
switch users have, so this runs on any CPU (slowly where bf16 is emulated).
"""
import argparse, os, shutil, tempfile, time, subprocess, warnings
from pathlib import Path
import torch
from spectroscopynet.clean import clean_paths, Cleaner, _folder_files
from spectroscopynet.data import COMPOSITIONS_FILE, training_data_summary, write_data_summary, chemcam_mask, chemcam_wavelengths
from spectroscopynet.model import ModelConfig, SiameseSignalNoiseNet
from spectroscopynet.runtime import cpu_model, atomic_write
from spectroscopynet.train import TrainConfig, save_checkpoint

def untrained_run(folder:Path, size:str) -> Path:
    "A run folder holding an untrained network of the given size (for timing only)"
    cfg = TrainConfig.cpu(model=getattr(ModelConfig, size)(n_channels=int(chemcam_mask(chemcam_wavelengths()).sum())))
    net = SiameseSignalNoiseNet(cfg.model)
    folder.mkdir(parents=True)
    save_checkpoint(folder/'final.pt', model=net.state_dict(), config=cfg.to_dict())
    (folder/'DONE').write_text('')
    return folder

def precision_check(run, data, n):
    import numpy as np
    from spectroscopynet.clean import clean
    from spectroscopynet.data import load_campaign, split_by_target
    from spectroscopynet.simulate import load_truth
    from spectroscopynet.baselines import signal_recovery_error
    from spectroscopynet.train import load_run
    camp = load_campaign(data)
    _, cfg = load_run(run)
    test = split_by_target(camp.targets, cfg.test_fraction, cfg.seed)[1]  # the run's held-out targets
    rows = np.flatnonzero(np.isin(camp.target, test))[:n]
    y, truth = camp.spectra[rows], load_truth(camp, folder=Path(data), components=False).clean[rows]
    kept = chemcam_mask(camp.wavelengths)
    out = {}
    for p in ('fp32', 'bf16'):
        t0 = time.perf_counter()
        out[p] = clean(y, camp.wavelengths, model=run, precision=p)
        print(f"  {p}: {len(y)/(time.perf_counter()-t0):.1f} spectra/s, signal-recovery error "
              f"{signal_recovery_error(out[p][:, kept], truth[:, kept]):.4f}", flush=True)
    d, a = np.abs(out['bf16'] - out['fp32'])[:, kept], np.abs(out['fp32'])[:, kept]
    print(f"  bf16 vs fp32 on {len(y)} held-out spectra ({len(test)} targets): max |diff| / max |z_x| {d.max()/a.max():.2e}, "
          f"mean |diff| / mean |z_x| {d.mean()/a.mean():.2e}; raw input's recovery error "
          f"{signal_recovery_error(y[:, kept], truth[:, kept]):.4f}")

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--precision-check', default=None, help='a trained run folder: measure bf16 vs fp32 instead of timing')
    p.add_argument('--spectra', type=int, default=100, help='spectra for --precision-check')
    p.add_argument('--data', default=None, help='simulated campaign folder (default: /tmp/campaigns/small_s0 or a tiny one)')
    p.add_argument('--files', type=int, default=20, help='location files to clean')
    p.add_argument('--model-size', default='cpu', choices=['cpu', 'paper', 'tiny'])
    a = p.parse_args()
    if a.precision_check:
        print(f"CPU: {cpu_model()}; run {a.precision_check}; data {a.data}")
        return precision_check(a.precision_check, a.data, a.spectra)
    tmp = Path(tempfile.mkdtemp(prefix='bench_clean_'))
    try:
        data = Path(a.data) if a.data else Path('/tmp/campaigns/small_s0')
        if not data.is_dir():
            from spectroscopynet.simulate import simulate_campaign
            data = simulate_campaign(tmp/'tiny', scale='tiny', seed=0, progress=False)
        src = tmp/'campaign'
        for f in _folder_files(data)[:a.files]:
            (src/f.parent.name).mkdir(parents=True, exist_ok=True); shutil.copy(f, src/f.parent.name/f.name)
        if (data/COMPOSITIONS_FILE).exists(): shutil.copy(data/COMPOSITIONS_FILE, src/COMPOSITIONS_FILE)
        shutil.copy(data/'manifest.json', src/'manifest.json') if (data/'manifest.json').exists() else None
        run = untrained_run(tmp/'run', a.model_size)
        print(f"CPU: {cpu_model()}; torch {torch.__version__}, {torch.get_num_threads()} threads")
        print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        print(f"data: {len(_folder_files(src))} files of {data}; learned model: untrained {a.model_size}-size network\n")
        print(f"  {'method':28s} {'files/s':>8s} {'spectra/s':>10s} {'wall s':>7s} {'CPU s':>7s}   read / compute / write")
        for label, kw in [(f'learned ({a.model_size} net)', dict(cleaner=Cleaner(model=run))), ('chemcam', dict(method='chemcam'))]:
            out = tmp/f'out_{label.split()[0]}'
            t0, c0 = time.perf_counter(), time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')  # the untrained run has no data.json
                rep = clean_paths([src], out, **kw)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            s = rep.seconds; tot = sum(s.values())
            print(f"  {label:28s} {len(rep.written)/wall:8.2f} {rep.n_spectra/wall:10.1f} {wall:7.1f} {cpu:7.1f}   "
                  f"{100*s['read']/tot:.0f}% / {100*s['compute']/tot:.0f}% / {100*s['write']/tot:.0f}%", flush=True)
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    finally: shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
