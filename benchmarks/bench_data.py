"""Benchmark of the data chapter: campaign cache load, triplet sampling + gathering, CCS write/read, CSV campaign read.

Usage: python benchmarks/bench_data.py [--n-targets 410] [--locations 5] [--shots 20] [--files 24]
Default campaign: 410 targets x 5 locations x 20 shots = 41,000 spectra x 6144 channels float32 (1.0 GB), random data
(the cache format does not care about the values). Times are wall-clock, best or mean of several repeats, page cache warm."""
import argparse, os, tempfile, time, shutil, warnings
from pathlib import Path
import numpy as np
import pandas as pd
from spectroscopynet.runtime import cpu_model
from spectroscopynet.data import (Campaign, TripletSampler, load_campaign, write_ccs_csv, read_ccs_csv, chemcam_wavelengths,
                                  mask_chemcam_bands, OXIDES, N_CHANNELS)

CPU_TIMES = {}

def timed(f, repeat=5, key=None):
    "Best wall time of `repeat` calls, and the last result; the best CPU time of this process goes to CPU_TIMES[key]"
    best = cpu = float('inf')
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time(); r = f()
        best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
    if key: CPU_TIMES[key] = cpu
    return best, r

def random_campaign(n_targets, n_loc, n_shots, seed=0) -> Campaign:
    rng = np.random.default_rng(seed)
    n = n_targets * n_loc * n_shots
    names = np.array([f't{i:04d}' for i in range(n_targets)])
    target = np.repeat(names, n_loc * n_shots)
    location = np.tile(np.repeat(np.arange(1, n_loc + 1), n_shots), n_targets)
    spectra = rng.standard_normal((n, N_CHANNELS), dtype=np.float32)
    comp = pd.DataFrame(rng.uniform(0, 20, (n_targets, len(OXIDES))), index=pd.Index(names, name='target'), columns=OXIDES)
    source = np.char.add(np.char.add(target, '/loc'), location.astype(str))
    return Campaign(spectra, chemcam_wavelengths(), target, location, np.tile(np.arange(1, n_shots + 1), n_targets * n_loc),
                    np.full(n, 1600.0), source, comp, name='random benchmark campaign')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n-targets', type=int, default=410); ap.add_argument('--locations', type=int, default=5)
    ap.add_argument('--shots', type=int, default=20); ap.add_argument('--files', type=int, default=24)
    a = ap.parse_args()
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores, load average before the run {os.getloadavg()[0]:.1f}")
    tmp = Path(tempfile.mkdtemp(prefix='bench_data_'))
    try:
        camp = random_campaign(a.n_targets, a.locations, a.shots)
        n, C = camp.spectra.shape
        print(f"campaign: {n} spectra x {C} channels float32 ({camp.spectra.nbytes / 2**30:.2f} GiB), {camp.n_targets} targets")
        t_save, _ = timed(lambda: camp.save(tmp/'cache'), repeat=1)
        print(f"cache save (atomic folder): {t_save:.2f} s")
        t_load, loaded = timed(lambda: Campaign.load(tmp/'cache'), repeat=3, key='load')
        assert loaded.spectra.shape == (n, C)
        print(f"cache load, into memory: {t_load:.2f} s (CPU {CPU_TIMES['load']:.2f} s)")
        del loaded
        t_mmap, mm = timed(lambda: Campaign.load(tmp/'cache', mmap=True), repeat=3)
        print(f"cache load, memory-mapped: {t_mmap * 1000:.0f} ms")

        sampler = TripletSampler(camp.target, batch_size=512, seed=0)
        t_draw, _ = timed(sampler.sample, repeat=200)
        print(f"draw 512 triplets (indices only): {t_draw * 1e3:.3f} ms")
        masked, _ = mask_chemcam_bands(camp.spectra, camp.wavelengths)  # what training holds in memory
        masked = np.ascontiguousarray(masked)
        def draw_and_gather(x):
            j, k, kp = sampler.sample(); return x[j], x[k], x[kp]
        t_g6144, _ = timed(lambda: draw_and_gather(camp.spectra), repeat=100)
        t_g5485, batch = timed(lambda: draw_and_gather(masked), repeat=100, key='gather')
        assert batch[0].shape == (512, 5485)
        t_gmm, _ = timed(lambda: draw_and_gather(mm.spectra), repeat=20)
        print(f"draw 512 triplets + gather their spectra, 5485 channels (masked, in memory): {t_g5485 * 1e3:.2f} ms "
              f"(CPU {CPU_TIMES['gather'] * 1e3:.2f} ms)")
        print(f"draw 512 triplets + gather their spectra, 6144 channels (in memory): {t_g6144 * 1e3:.2f} ms")
        print(f"draw 512 triplets + gather their spectra, 6144 channels (memory-mapped, warm): {t_gmm * 1e3:.2f} ms")
        del camp, masked, mm
        shutil.rmtree(tmp/'cache')

        w = chemcam_wavelengths()
        shots = np.random.default_rng(1).standard_normal((50, N_CHANNELS)).astype(np.float32) * 1e12
        t_write, _ = timed(lambda: write_ccs_csv(tmp/'one_ccs.csv', w, shots, {'DISTT': 1600.0}), repeat=5, key='write')
        t_read, _ = timed(lambda: read_ccs_csv(tmp/'one_ccs.csv'), repeat=5, key='read')
        print(f"one 50-shot CCS file (6144 rows, {(tmp/'one_ccs.csv').stat().st_size / 1e6:.1f} MB): "
              f"write {t_write * 1e3:.0f} ms (CPU {CPU_TIMES['write'] * 1e3:.0f} ms), "
              f"read {t_read * 1e3:.0f} ms (CPU {CPU_TIMES['read'] * 1e3:.0f} ms)")
        for i in range(a.files):
            shutil.copy(tmp/'one_ccs.csv', tmp/'lab'/f't{i // 4:02d}'/f'2015_01_01_00000{i % 4}_ccs.csv') \
                if (tmp/'lab'/f't{i // 4:02d}').mkdir(parents=True, exist_ok=True) is None else None
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # no composition table in this folder
            for workers in (1, 2):
                t_csv, c = timed(lambda: load_campaign(tmp/'lab', cache=False, workers=workers), repeat=1)
                print(f"load_campaign from {a.files} CSV files ({len(c)} spectra), {workers} process(es): {t_csv:.2f} s "
                      f"({t_csv / a.files * 1e3:.0f} ms per file)")
        try:  # the cost the sampler must stay well under: one forward pass of the model on the same batch
            import torch
            from spectroscopynet.model import ModelConfig, SiameseSignalNoiseNet
            net = SiameseSignalNoiseNet(ModelConfig.cpu()).eval()
            y = torch.from_numpy(batch[0][:64])  # 64 of the 512 spectra, scaled to 512 below (forward is linear in B)
            with torch.no_grad(): t_fwd, _ = timed(lambda: net(y), repeat=2)
            print(f"for comparison, model forward (ModelConfig.cpu(), no grad, 64 x 5485, {torch.get_num_threads()} "
                  f"threads): {t_fwd * 1e3:.0f} ms, i.e. ~{t_fwd * 8:.1f} s for the 512 spectra of one batch's y_j")
        except ImportError as e:
            print(f"model forward not timed ({e})")
        print(f"load average after the run: {os.getloadavg()[0]:.1f} (figures scale with other processes' load)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
