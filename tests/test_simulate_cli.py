"""The `spectroscopynet simulate` command: writes a campaign the readers load, same seed same bytes, clear errors."""
import hashlib, json, subprocess, sys
from pathlib import Path
import numpy as np

def _simulate(*args):
    return subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'simulate', *args],
                          capture_output=True, text=True)

def _digest(folder):
    h = hashlib.sha256()
    for p in sorted(Path(folder).rglob('*')):
        if p.is_file() and not any(q.startswith('.') for q in p.relative_to(folder).parts):
            h.update(str(p.relative_to(folder)).encode()); h.update(p.read_bytes())
    return h.hexdigest()

def test_cli_writes_a_loadable_campaign_with_exact_truth(tmp_path, capsys):
    from spectroscopynet.simulate import simulate_cli
    simulate_cli(str(tmp_path/'c'), scale='tiny', seed=3, quiet=True)
    assert 'simulated campaign: 6 targets, 96 spectra' in capsys.readouterr().out
    man = json.loads((tmp_path/'c'/'manifest.json').read_text())
    assert man['simulated'] is True and man['seed'] == 3 and man['scale'] == 'tiny'
    from spectroscopynet.data import load_campaign
    from spectroscopynet.simulate import load_truth
    camp = load_campaign(tmp_path/'c', cache=False)
    truth = load_truth(camp, folder=tmp_path/'c', components=False)
    from spectroscopynet.simulate import TRUTH_RTOL
    y, n = camp.spectra.astype(float), truth.noise.astype(float)
    assert (np.abs(truth.clean + n - y) <= TRUTH_RTOL*np.maximum(np.abs(y), np.abs(n))).all()
    assert all('spectroscopynet-simulator' in (tmp_path/'c'/s).read_text()[:200] for s in np.unique(camp.source))

def test_cli_same_seed_same_bytes(tmp_path):
    from spectroscopynet.simulate import simulate_cli
    for name in ('a', 'b'): simulate_cli(str(tmp_path/name), scale='tiny', seed=7, quiet=True)
    assert _digest(tmp_path/'a') == _digest(tmp_path/'b')

import pytest
def test_cli_command_and_errors_exit_2(tmp_path):
    r = _simulate(str(tmp_path/'ok'), '--scale', 'tiny', '--quiet')
    assert r.returncode == 0, r.stderr
    (tmp_path/'exists').mkdir()
    r = _simulate(str(tmp_path/'exists'), '--scale', 'tiny', '--quiet')
    assert r.returncode == 2 and 'already exists' in r.stderr and 'Traceback' not in r.stderr
    r = _simulate(str(tmp_path/'x'), '--scale', 'huge', '--quiet')
    assert r.returncode == 2 and "scale 'huge'" in r.stderr
    assert not (tmp_path/'x').exists()

def test_load_truth_refuses_real_campaigns(tmp_path):
    import pytest
    from spectroscopynet.simulate import load_truth
    from spectroscopynet.runtime import SpectroscopyNetError
    class Fake: name = 'real'; source = np.array(['a/b.csv']); shot = np.array([1])
    with pytest.raises(SpectroscopyNetError, match='simulated'): load_truth(Fake(), folder=tmp_path)

def test_cli_instrument_option(tmp_path):
    r = _simulate(str(tmp_path/'b'), '--scale', 'tiny', '--instrument', 'B', '--quiet', '--seed', '2')
    assert r.returncode == 0, r.stderr
    assert 'instrument B' in r.stdout
    assert json.loads((tmp_path/'b'/'manifest.json').read_text())['instrument'] == 'B'
    r = _simulate(str(tmp_path/'c'), '--scale', 'tiny', '--instrument', 'Z', '--quiet')
    assert r.returncode == 2 and "instrument 'Z'" in r.stderr and not (tmp_path/'c').exists()
