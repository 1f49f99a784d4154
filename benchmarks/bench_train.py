"""Training throughput (spectra per second) of the siamese objective at the `cpu` and `paper` model sizes, on whole
spectra and on the random windows (`TrainConfig.crop`) the `cpu` preset trains on.

Usage: python benchmarks/bench_train.py [--steps 3] [--batch-cpu 64] [--batch-paper 4] [--sizes cpu,paper] [--crop 512]
One step = sample-free forward of both branches as the config's loss form needs them (stationary: signal and noise
branch on y_j, noise branch on y_k; bounded: signal on y_j, noise on y_k, y_k'), the loss, backward, gradient
clipping and an optimiser update, on random spectra of 5485 channels or windows of `--crop`. fp32, plus bf16 autocast only
where `autocast_dtype` says bf16 pays off (never on a CPU without AMX). Prints the CPU, threads and the load average,
because on a shared machine the last one decides the numbers."""
import argparse, os, platform, time
import torch
from spectroscopynet.runtime import cpu_model, autocast_dtype, default_device
from spectroscopynet.train import TrainConfig, SiameseObjective
from spectroscopynet.model import SiameseSignalNoiseNet

def time_steps(cfg:TrainConfig, batch:int, steps:int, dtype, device, crop:int=0) -> tuple:
    "Seconds per step (wall, CPU) after one warm-up step"
    torch.manual_seed(0)
    net = SiameseSignalNoiseNet(cfg.model).to(device)
    obj = SiameseObjective(net, cfg.loss_form, cfg.loss_weights)
    opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=cfg.momentum)
    n = crop or cfg.model.n_channels
    y = [torch.rand(batch, n, device=device) for _ in range(3)]
    if cfg.loss_form == 'stationary': y[2] = ~torch.eye(batch, dtype=torch.bool, device=device)
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
    p.add_argument('--crop', type=int, default=512, help='window length also timed (0: whole spectra only)')
    a = p.parse_args()
    device = default_device()
    dtypes = [None] + ([d] if (d := autocast_dtype(device)) is not None else [])
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores, torch {torch.__version__}, {torch.get_num_threads()} threads); "
          f"device {device}; Python {platform.python_version()}")
    print('| size | model | form | channels | batch | precision | s/step (wall) | batch/s (wall) | batch/s (per CPU-s) |\n|---|---|---|---:|---:|---|---:|---:|---:|')
    for size in a.sizes.split(','):
        cfg = getattr(TrainConfig, size)()
        batch = a.batch_cpu if size == 'cpu' else a.batch_paper
        for dt in dtypes:
            for crop in ([0, a.crop] if a.crop else [0]):
                wall, cpu = time_steps(cfg, batch, a.steps, dt, device, crop)
                m = cfg.model
                print(f"| {size} | D={m.depth}, w={m.width} | {cfg.loss_form} | {crop or m.n_channels} | {batch} | {'bf16' if dt else 'fp32'} | "
                      f"{wall:.2f} | {batch/wall:.3g} | {batch/cpu:.3g} |")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores; > 2 means other processes shared them)")

if __name__ == '__main__':
    main()
