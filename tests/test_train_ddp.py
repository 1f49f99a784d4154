"""`spectroscopynet train` under torchrun with 2 gloo processes on CPU behaves like the single-process run.

The two runs draw different triplets (each rank its own seed), so they cannot agree to the bit; what must agree is
behaviour: both finish, log the same epochs, reach a similar final loss and a similar held-out recovery error."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
from spectroscopynet.simulate import simulate_campaign
from spectroscopynet.train import train, load_run
import spectroscopynet.train as T
from types import SimpleNamespace
from spectroscopynet.runtime import ConfigError

# 6 epochs: after 3 (18 steps) the loss is still falling steeply and the two runs' losses differed by 40 % on the
# current tiny campaign (2.10 vs 2.98) while their held-out errors agreed (0.395 vs 0.407); by epoch 6 both losses
# are within 2 % (1.03 vs 1.04), and at 8 epochs 0.83 vs 0.82 (measured 2026-12-02).
OVERRIDES = ['objective=siamese', 'epochs=6', 'batches_per_epoch=6', 'batch_size=16', 'lr=0.05']

def _metrics(run): return [json.loads(l) for l in (Path(run)/'metrics.jsonl').read_text().splitlines()]

@pytest.mark.slow
def test_two_gloo_processes_match_single_process(tmp_path):
    camp = simulate_campaign(tmp_path/'camp', scale='tiny', seed=0, progress=False)
    single = train(camp, 'tiny', tmp_path/'single', overrides=OVERRIDES, progress=False)
    exe = shutil.which('spectroscopynet')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--no-python', exe,
           'train', '--data', str(camp), '--config', 'tiny', '--out', str(tmp_path/'ddp'), '--quiet', *OVERRIDES]
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'SPECTROSCOPYNET_DEVICE': 'cpu'}
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert (tmp_path/'ddp'/'DONE').exists()
    m1, m2 = _metrics(single), _metrics(tmp_path/'ddp')
    assert [m['epoch'] for m in m2] == [1, 2, 3, 4, 5, 6]
    assert len(m2[-1]) == len(m1[-1]) and m2[-1]['lr'] == pytest.approx(m1[-1]['lr'])  # same schedule, same columns
    assert m2[-1]['loss'] < m2[0]['loss'] * 1.05                                     # it trains
    assert m2[-1]['loss'] == pytest.approx(m1[-1]['loss'], rel=0.3)
    assert m2[-1]['recovery_heldout'] == pytest.approx(m1[-1]['recovery_heldout'], abs=0.1)
    net, cfg = load_run(tmp_path/'ddp')
    assert cfg.model.n_channels == load_run(single)[1].model.n_channels

def test_pipeline_refuses_torchrun(tmp_path):
    "The default objective trains in one process: under torchrun (world > 1) it stops with a clear error, not a silent copy per rank"
    with pytest.raises(ConfigError, match='without torchrun'):
        T._pipeline_run(tmp_path, T.TrainConfig.tiny(), None, SimpleNamespace(world=2), False, False)
