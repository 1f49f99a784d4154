"""Two processes writing the same output folder: the second one is refused at once (exit 2), with a message naming the
folder and the process that holds it, for `simulate`, `train`, `calibrate` and `reproduce`; the first one finishes
untouched; a holder killed with SIGKILL blocks nobody afterwards (the kernel drops its `flock`)."""
import hashlib, subprocess, sys
from pathlib import Path
import pytest
from spectroscopynet.cli import main

FAULTS = Path(__file__).parent/'_faults.py'

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    folder = tmp_path_factory.mktemp('camp')/'tiny'
    main(['simulate', str(folder), '--scale', 'tiny', '--quiet'])
    return folder

def _start(*args) -> subprocess.Popen:
    "tests/_faults.py ARGS in a new process, once it has printed that it holds the folder (HELD) or paused in it (PAUSED)"
    p = subprocess.Popen([sys.executable, str(FAULTS), *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline().strip()
    if line not in ('HELD', 'PAUSED'): p.kill(); pytest.fail(f"{args}: {line} {p.stderr.read()[-2000:]}")
    return p

def _refused(capsys, argv:list, folder:Path, pid:int):
    with pytest.raises(SystemExit) as e: main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2, err
    assert f"{folder}: process {pid} on " in err and 'is writing this folder' in err and 'Traceback' not in err, err

def test_every_verb_refuses_a_folder_another_process_writes(campaign, tmp_path, capsys):
    out = {v: tmp_path/v for v in ('sim', 'run', 'res', 'rep')}
    holder = _start('hold', *out.values())
    try:
        _refused(capsys, ['simulate', str(out['sim']), '--scale', 'tiny', '--quiet', '--overwrite'], out['sim'], holder.pid)
        _refused(capsys, ['train', '--data', str(campaign), '--config', 'tiny', '--out', str(out['run']), '--quiet'],
                 out['run'], holder.pid)
        _refused(capsys, ['calibrate', '--data', str(campaign), '--out', str(out['res'])], out['res'], holder.pid)
        _refused(capsys, ['reproduce', '--out', str(out['rep']), '--scale', 'tiny'], out['rep'], holder.pid)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f'.{v}.lock' for v in out)  # nothing else written
    finally: holder.kill(); holder.wait()
    # killed: its lock files stay behind, unlocked, and do not block the next run
    main(['simulate', str(out['sim']), '--scale', 'tiny', '--quiet'])
    assert (out['sim']/'manifest.json').exists() and not (tmp_path/'.sim.lock').exists()

def _digest(folder) -> str:
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob('*')):
        if p.is_file(): h.update(str(p.relative_to(folder)).encode()); h.update(p.read_bytes())
    return h.hexdigest()

def test_a_second_simulate_does_not_interleave_with_a_running_one(tmp_path, capsys):
    main(['simulate', str(tmp_path/'ref'), '--scale', 'tiny', '--quiet'])
    first = _start('pause:spectroscopynet.simulate._write_target:2', 'simulate', tmp_path/'camp', '--scale', 'tiny', '--quiet')
    try:  # the first is two targets into the campaign; the second, with another seed, would replace it
        _refused(capsys, ['simulate', str(tmp_path/'camp'), '--scale', 'tiny', '--seed', '1', '--quiet', '--overwrite'],
                 tmp_path/'camp', first.pid)
        _, err = first.communicate('go\n', timeout=300)
    finally: first.kill()
    assert first.returncode == 0, err
    assert _digest(tmp_path/'camp') == _digest(tmp_path/'ref')
    assert sorted(p.name for p in tmp_path.iterdir()) == ['camp', 'ref']
