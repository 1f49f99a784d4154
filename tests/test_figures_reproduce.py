"""End-to-end `spectroscopynet reproduce` at the tiny scale: simulate, train, calibrate, figures, report, resume."""
import subprocess, sys
from spectroscopynet.figures import reproduce, FIGURE_FILES

def test_reproduce_tiny_end_to_end_and_resume(tmp_path, capsys):
    out = reproduce(tmp_path/'run', scale='tiny')
    assert sorted(p.name for p in (out/'figures').iterdir()) == sorted(FIGURE_FILES.values())
    assert all((out/'figures'/f).read_bytes()[:4] == b'\x89PNG' for f in FIGURE_FILES.values())
    for f in ('rmse.csv', 'predictions.csv'): assert (out/'calibration'/f).exists()
    report = (out/'report.md').read_text()
    assert '**SIMULATED DATA**' in report and "simulated campaign 'tiny' seed 0, tiny config" in report
    assert '| SiO2 |' in report and 'Signal recovery error' in report
    assert all(row in report for row in ('| oracle |', 'raw norm3', 'mean predictor', 'RMSE difference vs `oracle`'))
    assert not any(p.name.endswith(('.tmp', '.partial')) for p in out.rglob('*'))
    capsys.readouterr()
    reproduce(tmp_path/'run', scale='tiny')  # everything done: every step skipped
    printed = capsys.readouterr().out
    assert printed.count('skipped') == 4 and str(tmp_path) not in printed

def test_reproduce_cli_rejects_a_bad_scale(tmp_path):
    r = subprocess.run([sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'reproduce',
                        '--out', str(tmp_path/'r'), '--scale', 'huge'], capture_output=True, text=True)
    assert r.returncode == 2 and "scale='huge'" in r.stderr
