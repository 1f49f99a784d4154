"""A run killed after an epoch and resumed reaches exactly the weights of an uninterrupted run."""
import pytest, torch
import spectroscopynet.train as T
from spectroscopynet.simulate import simulate_campaign
from spectroscopynet.runtime import ConfigError

class Killed(Exception): pass
SIAMESE = ['objective=siamese']  # the siamese loop checkpoints every epoch; the default 'pipeline' has no checkpoints

@pytest.fixture(scope='module')
def campaign(tmp_path_factory):
    return simulate_campaign(tmp_path_factory.mktemp('camp')/'tiny', scale='tiny', seed=0, progress=False)

def test_resume_reaches_the_same_weights(campaign, tmp_path, monkeypatch):
    full = T.train(campaign, 'tiny', tmp_path/'full', overrides=SIAMESE, progress=False)
    with monkeypatch.context() as m:  # the process dies right after epoch 1's checkpoint is on disk
        m.setattr(T, '_write_metrics', lambda out, history: (_ for _ in ()).throw(Killed()))
        with pytest.raises(Killed): T.train(campaign, 'tiny', tmp_path/'killed', overrides=SIAMESE, progress=False)
    assert (tmp_path/'killed'/'checkpoint.pt').exists() and not (tmp_path/'killed'/'DONE').exists()
    with pytest.raises(ConfigError, match='batch_size'):
        T.train(campaign, 'tiny', tmp_path/'killed', resume=True, overrides=[*SIAMESE, 'batch_size=4'], progress=False)
    T.train(campaign, 'tiny', tmp_path/'killed', resume=True, overrides=SIAMESE, progress=False)
    a, b = T.load_run(full)[0].state_dict(), T.load_run(tmp_path/'killed')[0].state_dict()
    assert a.keys() == b.keys()
    for k in a: assert torch.equal(a[k], b[k]), k

def test_pipeline_resume_retrains_an_unfinished_run(campaign, tmp_path, monkeypatch):
    "The default objective writes no checkpoint: --resume of an unfinished run trains it again from the start (same seed)"
    full = T.train(campaign, 'tiny', tmp_path/'full', progress=False)
    assert T.load_run(full)[1].objective == 'pipeline' and not (full/'checkpoint.pt').exists()
    with monkeypatch.context() as m:  # the process dies after training, before final.pt and DONE
        m.setattr(T, '_write_metrics', lambda out, history: (_ for _ in ()).throw(Killed()))
        with pytest.raises(Killed): T.train(campaign, 'tiny', tmp_path/'killed', progress=False)
    assert (tmp_path/'killed'/'config.json').exists() and not (tmp_path/'killed'/'DONE').exists()
    with pytest.raises(ConfigError, match='seed'):
        T.train(campaign, 'tiny', tmp_path/'killed', resume=True, overrides=['seed=1'], progress=False)
    T.train(campaign, 'tiny', tmp_path/'killed', resume=True, progress=False)
    assert (tmp_path/'killed'/'DONE').exists()
    p, q = T.load_run(full)[0], T.load_run(tmp_path/'killed')[0]
    a, b = p.denoiser.state_dict(), q.denoiser.state_dict()
    assert a.keys() == b.keys() and (p.noise_model.a, p.noise_model.b) == (q.noise_model.a, q.noise_model.b)
    for k in a: assert torch.equal(a[k], b[k]), k  # same seed, same data: the retrained pipeline is the same
