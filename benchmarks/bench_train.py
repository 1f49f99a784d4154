"""Training throughput (triplets per second) of the siamese objective at the `cpu` and `paper` model sizes.

Usage: python benchmarks/bench_train.py [--steps 3] [--batch-cpu 64] [--batch-paper 4] [--sizes cpu,paper]
One step = sample-free forward of the signal branch on y_j and the noise branch on y_k, y_k', the disentangling loss,
backward, gradient clipping and an SGD update, on random spectra of 5485 channels. fp32, plus bf16 autocast only
where `autocast_dtype` says bf16 pays off (never on a CPU without AMX). Prints the CPU, threads and the load average,
because on a shared machine the last one decides the numbers."""
import argparse, os, platform, time
import torch
from spectroscopynet.runtime import cpu_model, autocast_dtype, default_device
from spectroscopynet.train import TrainConfig, SiameseObjective
from spectroscopynet.model import SiameseSignalNoiseNet

def time_steps(cfg:TrainConfig, batch:int, steps:int, dtype, device) -> tuple:
    "Seconds per step (wall, CPU) after one warm-up step"
    torch.manual_seed(0)
    net = SiameseSignalNoiseNet(cfg.model).to(device)
    obj = SiameseObjective(net, cfg.loss_form, cfg.loss_weights)
    opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=cfg.momentum)
    y = [torch.rand(batch, cfg.model.n_channels, device=device) for _ in range(3)]
    def step():
        with torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None):
            loss, _ = obj(*y)
        opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0); opt.step()
    step()
    w, c = time.perf_counter(), time.process_time()
    for _ in range(steps): step()
    return (time.perf_counter() - w) / steps, (time.process_time() - c) / steps

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--steps', type=int, default=3)
    p.add_argument('--batch-cpu', type=int, default=64, help='triplets per step at the cpu size')
    p.add_argument('--batch-paper', type=int, default=4, help='triplets per step at the paper size (512 in the paper)')
    p.add_argument('--sizes', default='cpu,paper')
    a = p.parse_args()
    device = default_device()
    dtypes = [None] + ([d] if (d := autocast_dtype(device)) is not None else [])
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} threads); "
          f"device {device}; Python {platform.python_version()}")
    print('| size | model | triplets/step | precision | s/step (wall) | triplets/s (wall) | triplets/s (per CPU-s) |\n|---|---|---:|---|---:|---:|---:|')
    for size in a.sizes.split(','):
        cfg = getattr(TrainConfig, size)()
        batch = a.batch_cpu if size == 'cpu' else a.batch_paper
        for dt in dtypes:
            wall, cpu = time_steps(cfg, batch, a.steps, dt, device)
            m = cfg.model
            print(f"| {size} | D={m.depth}, w={m.width}, N={m.n_channels} | {batch} | {'bf16' if dt else 'fp32'} | "
                  f"{wall:.2f} | {batch/wall:.3g} | {batch/cpu:.3g} |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; > 2 means other processes shared them)")

if __name__ == '__main__':
    main()
