"""`simulate`, `calibrate` and `reproduce` killed with SIGKILL midway (no cleanup runs), then rerun, end with the files of
a run that was never interrupted, byte for byte, hidden files included. The only exceptions are the two training
files that record wall-clock seconds per epoch (in `NOT_COMPARED`); the weights they hold are compared through `final.pt`.

The kill comes from inside the process at a chosen point (tests/_faults.py), so it lands at the same place on a
loaded CI machine as on an idle one. (A training run killed mid-epoch: tests/test_train_resume.py; a default 'pipeline' run killed before it
finished: the reproduce test below.)

The campaign cache's `campaign.json` is not compared either: its fingerprint holds the paths and modification times
of the files it was read from, which differ between any two runs; the cached arrays themselves are compared."""
import hashlib, signal, subprocess, sys
from pathlib import Path
import pytest
from spectroscopynet.cli import main

FAULTS = Path(__file__).parent/'_faults.py'
NOT_COMPARED = {'train/metrics.jsonl', 'train/checkpoint.pt',  # per-epoch 'seconds' in the history
              'data/.spectroscopynet_cache/campaign.json'}  # source files' paths and mtimes

def _killed(fault:str, *args):
    "Run `spectroscopynet ARGS` in a new process that SIGKILLs itself at `fault`; check it did"
    r = subprocess.run([sys.executable, str(FAULTS), f'kill:{fault}', *map(str, args)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == -signal.SIGKILL, f"not killed at {fault} (exit {r.returncode}): {r.stderr[-2000:]}"

def _files(folder, skip=()) -> dict:
    "relative path -> sha256 of every file under `folder`, hidden ones included, except the relative paths in `skip`"
    files = {str(p.relative_to(folder)): p for p in sorted(Path(folder).rglob('*')) if p.is_file()}
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in files.items() if k not in skip}

def test_simulate_killed_midway_then_rerun(tmp_path):
    main(['simulate', str(tmp_path/'ref'), '--scale', 'tiny', '--quiet'])
    _killed('spectroscopynet.simulate._write_target:3', 'simulate', tmp_path/'camp', '--scale', 'tiny', '--quiet')
    assert not (tmp_path/'camp').exists()  # nothing that looks like a campaign
    assert [p for p in tmp_path.iterdir() if p.name.startswith('.camp.') and p.name.endswith('.partial')]
    main(['simulate', str(tmp_path/'camp'), '--scale', 'tiny', '--quiet'])
    assert _files(tmp_path/'camp') == _files(tmp_path/'ref')
    assert sorted(p.name for p in tmp_path.iterdir()) == ['camp', 'ref']  # the temporary and the lock file are gone

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    from spectroscopynet.data import load_campaign
    folder = tmp_path_factory.mktemp('camp')/'tiny'
    main(['simulate', str(folder), '--scale', 'tiny', '--quiet'])
    load_campaign(folder)  # writes the campaign cache once, so that every run below reads the same files
    return folder

CALIBRATE = ['--methods', 'none,chemcam', '--regressors', 'sgd,ridge', '--epochs', '5', '--n_boot', '20']

def test_calibrate_killed_while_writing_then_rerun(campaign, tmp_path):
    main(['calibrate', '--data', str(campaign), '--out', str(tmp_path/'ref'), *CALIBRATE])
    # killed with rmse.csv, predictions.csv, config.json written and README.md's temporary open
    _killed('spectroscopynet.calibration._markdown:1', 'calibrate', '--data', campaign, '--out', tmp_path/'res', *CALIBRATE)
    assert (tmp_path/'res'/'rmse.csv').exists() and not (tmp_path/'res'/'README.md').exists()
    assert [p for p in (tmp_path/'res').iterdir() if p.name.startswith('.README.md.')]
    main(['calibrate', '--data', str(campaign), '--out', str(tmp_path/'res'), *CALIBRATE])
    assert _files(tmp_path/'res') == _files(tmp_path/'ref')
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ref', 'res']

@pytest.mark.slow
def test_reproduce_killed_in_training_and_in_figures_then_rerun(tmp_path):
    main(['reproduce', '--out', str(tmp_path/'ref'), '--scale', 'tiny'])
    run = tmp_path/'run'
    # the default 'pipeline' objective: killed while scoring the trained pipeline, before final.pt; the rerun trains it again
    _killed('spectroscopynet.train.evaluate:1', 'reproduce', '--out', run, '--scale', 'tiny')
    assert (run/'train'/'config.json').exists() and not (run/'train'/'final.pt').exists() and not (run/'train'/'DONE').exists()
    _killed('spectroscopynet.figures.save_figure:3', 'reproduce', '--out', run, '--scale', 'tiny')
    assert (run/'calibration').is_dir() and not (run/'figures').exists() and not (run/'report.md').exists()
    main(['reproduce', '--out', str(run), '--scale', 'tiny'])
    ref, got = _files(tmp_path/'ref', NOT_COMPARED), _files(run, NOT_COMPARED)
    assert {'train/final.pt', 'data/truth.npz', 'calibration/rmse.csv', 'report.md'} <= set(ref) and len(ref) > 30
    assert got == ref
    assert sorted(p.name for p in tmp_path.iterdir()) == ['ref', 'run']
