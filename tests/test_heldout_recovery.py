"""`baselines.heldout_recovery` on a tiny campaign: the run's own split, every method, real intervals, no truth on real data."""
import shutil
import numpy as np
import pytest
from spectroscopynet.simulate import simulate_campaign
from spectroscopynet.data import load_campaign, split_by_target
from spectroscopynet.train import train
from spectroscopynet.baselines import BASELINES, heldout_recovery, HELDOUT_VIEWS
from spectroscopynet.figures import heldout_markdown, write_heldout, read_heldout

@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('heldout')
    camp = simulate_campaign(tmp/'tiny', scale='tiny', seed=0, progress=False)
    run = train(camp, 'tiny', tmp/'run', overrides=['test_fraction=0.5'], progress=False)  # 3 of 6 targets held out
    return tmp, camp, run

def test_heldout_rows_follow_the_runs_split_with_intervals(tiny):
    tmp, camp, run = tiny
    c = load_campaign(camp)
    res = heldout_recovery(c, run, n_shots=20)
    held = set(split_by_target(c.targets, 0.5, 0)[1])  # the run's test_fraction, not the default 0.2
    assert held != set(split_by_target(c.targets, 0.2, 0)[1])
    assert set(res.info['heldout_targets']) == held and set(res.scored['target']) == held and len(held) == 3
    single = res.scored[res.scored['view'] == 'single shots']
    assert len(single) == 20 and res.info['n_shots'] == 20
    methods = ['raw', *(m for m in BASELINES if m != 'none'), 'learned', 'oracle']
    for view in HELDOUT_VIEWS: assert list(res.table(view).index) == methods
    p = res.paired
    assert set(p['method']) == set(methods) - {'learned', 'oracle'} and (p['n_groups'] == 3).all()
    assert np.isfinite(p[['lo', 'hi']]).all().all() and (p['lo'] <= p['diff']).all() and (p['diff'] <= p['hi']).all()
    assert (p['hi'] > p['lo']).any()  # three targets: a real spread
    t = res.table('location averages')
    assert t.loc['oracle', 'relative L2'] < t.loc['chemcam', 'relative L2'] < t.loc['raw', 'relative L2']
    back, cmd = read_heldout(write_heldout(res, tmp/'heldout', 'spectroscopynet train ...'))
    assert cmd == 'spectroscopynet train ...' and heldout_markdown(back) == heldout_markdown(res)
    md = heldout_markdown(res)
    assert md.count('*') >= 1 and '[no interval' not in md and all(t in md for t in held)

def test_a_real_campaign_has_no_table(tiny):
    tmp, camp, run = tiny
    real = tmp/'real'
    shutil.copytree(camp, real, ignore=shutil.ignore_patterns('manifest.json', 'truth.npz', '.spectroscopynet*'))
    res = heldout_recovery(load_campaign(real), run)
    assert not res.truth and res.errors.empty and res.paired.empty
    assert 'is real: there is no true signal' in heldout_markdown(res)
