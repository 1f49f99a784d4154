"""A run killed after an epoch and resumed reaches exactly the weights of an uninterrupted run."""
import pytest, torch
import spectroscopynet.train as T
from spectroscopynet.simulate import simulate_campaign
from spectroscopynet.runtime import ConfigError

class Killed(Exception): pass

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    return simulate_campaign(tmp_path_factory.mktemp('camp')/'tiny', scale='tiny', seed=0, progress=False)

def test_resume_reaches_the_same_weights(campaign, tmp_path, monkeypatch):
    full = T.train(campaign, 'tiny', tmp_path/'full', progress=False)
    with monkeypatch.context() as m:  # the process dies right after epoch 1's checkpoint is on disk
        m.setattr(T, '_write_metrics', lambda out, history: (_ for _ in ()).throw(Killed()))
        with pytest.raises(Killed): T.train(campaign, 'tiny', tmp_path/'killed', progress=False)
    assert (tmp_path/'killed'/'checkpoint.pt').exists() and not (tmp_path/'killed'/'DONE').exists()
    with pytest.raises(ConfigError, match='batch_size'):
        T.train(campaign, 'tiny', tmp_path/'killed', resume=True, overrides=['batch_size=4'], progress=False)
    T.train(campaign, 'tiny', tmp_path/'killed', resume=True, progress=False)
    a, b = T.load_run(full)[0].state_dict(), T.load_run(tmp_path/'killed')[0].state_dict()
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), k
