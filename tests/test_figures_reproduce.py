"""End-to-end `spectroscopynet reproduce` at the tiny scale: simulate, train, held-out recovery, calibrate, figures, report, resume."""
import json, subprocess, sys
import pandas as pd
from spectroscopynet.figures import reproduce, FIGURE_FILES
from spectroscopynet.baselines import BASELINES
from spectroscopynet.data import load_campaign, split_by_target

def test_reproduce_tiny_end_to_end_and_resume(tmp_path, capsys):
    out = reproduce(tmp_path/'run', scale='tiny')
    assert sorted(p.name for p in (out/'figures').iterdir()) == sorted(FIGURE_FILES.values())
    assert all((out/'figures'/f).read_bytes()[:4] == b'\x89PNG' for f in FIGURE_FILES.values())
    for f in ('rmse.csv', 'predictions.csv'): assert (out/'calibration'/f).exists()
    report = (out/'report.md').read_text()
    assert '**SIMULATED DATA**' in report and "simulated campaign 'tiny' seed 0, tiny config" in report
    assert '| SiO2 |' in report and 'Signal recovery on all targets, training targets included' in report
    heldout = report.split('\n## ')[1]  # the results open with the held-out table and the command that made it
    assert heldout.startswith('Held-out signal recovery (simulated truth)'), heldout[:200]
    assert '```sh\nspectroscopynet reproduce --scale tiny --out RUN_DIR\n```' in heldout  # the same bytes in any folder
    methods = ['raw', *(m for m in BASELINES if m != 'none'), 'learned', 'oracle']
    table = [l for l in heldout.splitlines() if l.startswith('| ')]
    assert [l.split(' | ')[0][2:] for l in table[2:2 + len(methods)]] == methods, table  # one row each, in this order
    assert '2.5-97.5 % interval over 2000 bootstrap resamples of the targets' in heldout
    paired = [l for l in table if l.startswith('| ') and ' [' in l]
    assert sorted(l.split(' | ')[0][2:] for l in paired) == sorted(m for m in methods if m not in ('learned', 'oracle'))
    cfg = json.loads((out/'train'/'config.json').read_text())  # the run's own split, not the defaults
    held_out = set(split_by_target(load_campaign(out/'data').targets, cfg['test_fraction'], cfg['seed'])[1])
    scored = pd.read_csv(out/'heldout'/'scored.csv', dtype={'target': str})
    assert set(scored['target']) == held_out and set(scored['view']) == {'single shots', 'location averages'}
    assert all(f"{t}" in heldout for t in held_out)
    assert all(row in report for row in ('| oracle |', 'raw norm3', 'mean predictor', 'RMSE difference vs `oracle`'))
    assert not any(p.name.endswith(('.tmp', '.partial')) for p in out.rglob('*'))
    capsys.readouterr()
    reproduce(tmp_path/'run', scale='tiny')  # everything done: every step skipped
    printed = capsys.readouterr().out
    assert printed.count('skipped') == 5 and str(tmp_path) not in printed

def test_reproduce_cli_rejects_a_bad_scale(tmp_path):
    r = subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'reproduce',
                        '--out', str(tmp_path/'r'), '--scale', 'huge'], capture_output=True, text=True)
    assert r.returncode == 2 and "scale='huge'" in r.stderr
