"""The front page's evidence from a finished `spectroscopynet reproduce` run: the command, the headline table, a figure.

    python tools/front_page.py RUN_DIR [--figure 6] [--images nbs/images]

copies the run's figure into `nbs/images/` (so the site and README.md ship it; a run folder is not in the repository)
and prints a markdown block for nbs/index.ipynb: the command that made the run beside the calibration RMSE table of
the paper's head (leave one standard out, bootstrap intervals), the one-sentence comparison, the signal-recovery
errors when the data are simulated, and the figure. `front_page_markdown(run_dir)` returns the same text, for a
code cell of the index (`#| echo: false`, `display(Markdown(...))`) when the run folder is kept next to the notebooks.
Every number comes from the run's own files (`calibration/rmse.csv`, `calibration/signal_recovery.csv`, `report.md`),
so the block says what made it and cannot drift from the run.
"""
import argparse, json, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def run_facts(run_dir) -> dict:
    "What made the run, read from its report.md: source line, scale, seed, data"
    text = (Path(run_dir)/'report.md').read_text(encoding='utf-8')
    get = lambda pat: (m.group(1) if (m := re.search(pat, text, flags=re.M)) else None)
    return dict(source=get(r'^# SpectroscopyNet reproduction: (.+)$'), scale=get(r'^- scale: `([^`]+)`'),
                seed=get(r'^- scale: `[^`]+`, seed (\d+)'), data=get(r'^- data: `([^`]+)`'),
                simulated='**SIMULATED DATA**' in text)

def front_page_markdown(run_dir, # a folder written by `spectroscopynet reproduce`
                        figure:int=6, # which of Figs. 1-7 to show (6: predicted versus true)
                        image:str=None, # the figure's path as the page should link it; default the run's own file
                        regressor:str='sgd', # the calibration head whose RMSE the table shows (sgd: the paper's)
                        command:str=None, # the command shown; default rebuilt from the run's scale and seed
                       ) -> str:
    "Markdown: the command, the headline RMSE table with its comparison sentence, recovery errors, and one figure"
    import pandas as pd
    from spectroscopynet.figures import FIGURE_FILES, rmse_pivot, markdown_table, claims_summary
    run = Path(run_dir); facts = run_facts(run)
    rmse = pd.read_csv(run/'calibration'/'rmse.csv')
    head = rmse[rmse['regressor'] == regressor] if 'regressor' in rmse else rmse
    if head.empty: raise SystemExit(f"{run.name}/calibration/rmse.csv has no rows for regressor {regressor!r}")
    pp = run/'calibration'/'paired.csv'
    paired = None
    if pp.exists():
        paired = pd.read_csv(pp); paired = paired[paired['regressor'] == regressor] if 'regressor' in paired else paired
    seed = '' if facts['seed'] in (None, '0') else f" --seed {facts['seed']}"
    cmd = command or f"spectroscopynet reproduce --scale {facts['scale']} --out {Path(run_dir).as_posix()}{seed}"
    label = "simulated data, known truth" if facts['simulated'] else "real data"
    lines = [f"```sh\n{cmd}\n```", '',
             f"Calibration RMSE (wt%) from that run ({facts['source']}; {label}): leave one standard out, the paper's "
             f"linear head (`{regressor}`), [2.5-97.5 %] bootstrap interval over resampled standards.", '',
             markdown_table(rmse_pivot(head)), '', claims_summary(head, paired=paired), '']
    rec = run/'calibration'/'signal_recovery.csv'
    if rec.exists():
        r = pd.read_csv(rec, index_col=0).iloc[:, 0]
        lines += ["Distance to the true signal (relative L2, kept channels, shot averages of every target, training targets included): " +
                  ', '.join(f"{k} {v:.3f}" for k, v in r.items()) + '.', '']
    img = image or f"{run.name}/figures/{FIGURE_FILES[figure]}"
    lines += [f"![Fig. {figure} of that run]({img})", '']
    return '\n'.join(lines)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('run_dir', help="a folder written by `spectroscopynet reproduce`")
    ap.add_argument('--figure', type=int, default=6, help="which of Figs. 1-7 to show (default 6)")
    ap.add_argument('--images', default=str(ROOT/'nbs'/'images'), help="where to copy the figure (default nbs/images)")
    ap.add_argument('--regressor', default='sgd', help="calibration head of the table (default sgd, the paper's)")
    a = ap.parse_args(argv)
    from spectroscopynet.figures import FIGURE_FILES
    src = Path(a.run_dir)/'figures'/FIGURE_FILES[a.figure]
    dest = Path(a.images)/f"front_{FIGURE_FILES[a.figure]}"
    dest.parent.mkdir(parents=True, exist_ok=True); shutil.copyfile(src, dest)
    rel = Path(shutil.os.path.relpath(dest, ROOT/'nbs')).as_posix()
    print(front_page_markdown(a.run_dir, a.figure, rel, a.regressor))
    return 0

if __name__ == '__main__': sys.exit(main())
