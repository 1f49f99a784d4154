"""A full disk or a read-only output folder: the command exits with status 2 and a message naming the path the user
asked for, and leaves no partial file behind (the previous file or folder, if any, is unchanged).

Tests run as root in CI, where a chmod'ed folder stops nothing, and no small file system can be mounted; so the
errors are injected where the operating system would raise them (`os.replace`, `os.fsync`, `torch.save`), plus two
real ones: a file-size limit (`RLIMIT_FSIZE`, which binds root too: the kernel's EFBIG, like a disk filling up
mid-file) and read-only folders (for root, in a process that `setpriv` stripped of CAP_DAC_OVERRIDE)."""
import errno, hashlib, os, resource, shutil, signal, subprocess, sys
from pathlib import Path
import pytest
from spectroscopynet.cli import main

def _fail(errno_:int):
    def f(*args, **kwargs): raise OSError(errno_, os.strerror(errno_))
    return f

def _exit2(capsys, argv:list) -> str:
    with pytest.raises(SystemExit) as e: main(argv)
    err = capsys.readouterr().err
    assert e.value.code == 2 and 'Traceback' not in err, err
    return err

def _tree(folder) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
            for p in sorted(Path(folder).rglob('*'))}

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    folder = tmp_path_factory.mktemp('camp')/'tiny'
    main(['simulate', str(folder), '--scale', 'tiny', '--quiet'])
    return folder

def test_simulate_into_a_read_only_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(os, 'replace', _fail(errno.EROFS))
    err = _exit2(capsys, ['simulate', str(tmp_path/'camp'), '--scale', 'tiny', '--quiet'])
    assert f"{tmp_path/'camp'}: cannot write (Read-only file system" in err
    assert list(tmp_path.iterdir()) == []  # no campaign, no temporary folder, no lock file

def test_overwrite_that_fails_keeps_the_previous_campaign(campaign, tmp_path, capsys, monkeypatch):
    before = _tree(campaign)
    monkeypatch.setattr(os, 'replace', _fail(errno.EACCES))
    err = _exit2(capsys, ['simulate', str(campaign), '--scale', 'tiny', '--seed', '1', '--quiet', '--overwrite'])
    assert f"{campaign}: cannot write (Permission denied" in err
    assert _tree(campaign) == before and sorted(p.name for p in campaign.parent.iterdir()) == ['tiny']

CALIBRATE = ['--methods', 'none', '--regressors', 'ridge', '--n_boot', '10']

def test_calibrate_on_a_full_disk_keeps_the_previous_results(campaign, tmp_path, capsys, monkeypatch):
    main(['calibrate', '--data', str(campaign), '--out', str(tmp_path/'res'), *CALIBRATE])
    before = _tree(tmp_path/'res')
    monkeypatch.setattr(os, 'fsync', _fail(errno.ENOSPC))
    err = _exit2(capsys, ['calibrate', '--data', str(campaign), '--out', str(tmp_path/'res'), *CALIBRATE, '--seed', '1'])
    assert f"{tmp_path/'res'/'rmse.csv'}: cannot write (No space left on device)" in err
    assert _tree(tmp_path/'res') == before and sorted(p.name for p in tmp_path.iterdir()) == ['res']

def test_train_checkpoint_on_a_full_disk(campaign, tmp_path, capsys, monkeypatch):
    import torch
    monkeypatch.setattr(torch, 'save', _fail(errno.ENOSPC))
    for objective, first in (('pipeline', 'final.pt'), ('siamese', 'checkpoint.pt')):  # the default writes final.pt only
        out = tmp_path/objective
        err = _exit2(capsys, ['train', '--data', str(campaign), '--config', 'tiny', '--out', str(out), '--quiet', f'objective={objective}'])
        assert f"{out/first}: cannot write (No space left on device)" in err
        assert not [p for p in out.iterdir() if p.name.startswith('.')] and not (out/'DONE').exists()  # no temporary file, not done

def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_500_000, 1_500_000))  # > one tiny CCS file, < tiny truth.npz

def test_simulate_with_a_real_file_size_limit(tmp_path):
    r = subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'simulate',
                        str(tmp_path/'camp'), '--scale', 'tiny', '--quiet'], capture_output=True, text=True,
                       preexec_fn=_limit_file_size, timeout=300)
    assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr[-2000:]
    assert f"{tmp_path/'camp'}: cannot write (File too large while writing truth.npz)" in r.stderr
    assert list(tmp_path.iterdir()) == []

def _without_root_override() -> list:
    "Command prefix under which a chmod'ed folder is read-only, even for root (CI): drop CAP_DAC_OVERRIDE; or skip"
    if os.geteuid() != 0: return []
    cmd = ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner']
    if not shutil.which('setpriv') or subprocess.run([*cmd, 'true']).returncode != 0:
        pytest.skip("root writes into read-only folders and setpriv cannot drop that here; injected above")
    return cmd

READ_ONLY = """import sys
from spectroscopynet.cli import main
for argv in ([sys.argv[1], sys.argv[2], '--scale', 'tiny', '--quiet'], sys.argv[3:]):
    try: main(argv); print('exit 0')
    except SystemExit as e: print('exit', e.code)
"""

def test_real_read_only_folders(campaign, tmp_path):
    "`simulate` into a read-only folder, `calibrate` into an existing read-only results folder"
    (tmp_path/'ro').mkdir(); (tmp_path/'res').mkdir()
    for d in ('ro', 'res'): (tmp_path/d).chmod(0o555)
    try:
        r = subprocess.run([*_without_root_override(), sys.executable, '-c', READ_ONLY, 'simulate', str(tmp_path/'ro'/'camp'),
                            'calibrate', '--data', str(campaign), '--out', str(tmp_path/'res'), *CALIBRATE],
                           capture_output=True, text=True, timeout=300)
    finally:
        for d in ('ro', 'res'): (tmp_path/d).chmod(0o755)
    assert r.stdout.split('\n')[:2] == ['exit 2', 'exit 2'] and 'Traceback' not in r.stderr, r.stdout + r.stderr[-2000:]
    assert f"{tmp_path/'ro'/'camp'}: cannot write (Permission denied: {tmp_path/'ro'})" in r.stderr
    assert f"{tmp_path/'res'/'rmse.csv'}: cannot write (Permission denied: {tmp_path/'res'})" in r.stderr
    assert list((tmp_path/'ro').iterdir()) == [] and list((tmp_path/'res').iterdir()) == []
