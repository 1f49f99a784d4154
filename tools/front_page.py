"""The front page's evidence from a finished `spectroscopynet reproduce` run: the command, the headline tables, a figure.

    python tools/front_page.py RUN_DIR [--figure 6] [--images nbs/images]

copies the run's figure into `nbs/images/` (so the site and README.md ship it; a run folder is not in the repository)
and prints a markdown block: the command that made the run, the held-out signal-recovery table (every method, the
learned run, raw and the oracle on the targets training never saw, with paired intervals and their verdicts; real
data: a line saying there is no truth), the calibration RMSE table of the paper's head (leave one standard out,
bootstrap intervals) with its one-sentence comparison, and the figure. `front_page_block(run_dir)` does the same from
Python: nbs/index.ipynb calls it in a code cell (`#| echo: false`, `#| slow`) on `runs/cpu`, so the front page and
README.md are rebuilt from the run whenever the docs build executes the index. Every number comes from the run's own
files (`heldout/`, `calibration/rmse.csv`, `calibration/paired.csv`, `report.md`), so the block says what made it
and cannot drift from the run.
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
    "Markdown: the command, the held-out recovery table, the headline RMSE table with its comparison sentence, one figure"
    import pandas as pd
    from spectroscopynet.figures import FIGURE_FILES, rmse_pivot, markdown_table, claims_summary, read_heldout, heldout_markdown, HELDOUT_FOLDER
    run = Path(run_dir); facts = run_facts(run)
    rmse = pd.read_csv(run/'calibration'/'rmse.csv')
    head = rmse[rmse['regressor'] == regressor] if 'regressor' in rmse else rmse
    if head.empty: raise SystemExit(f"{run.name}/calibration/rmse.csv has no rows for regressor {regressor!r}")
    pp = run/'calibration'/'paired.csv'
    paired = None
    if pp.exists():
        paired = pd.read_csv(pp); paired = paired[paired['regressor'] == regressor] if 'regressor' in paired else paired
    seed = '' if facts['seed'] in (None, '0') else f" --seed {facts['seed']}"
    try: shown = Path(shutil.os.path.abspath(run_dir)).relative_to(ROOT)  # as typed at the repository's root (links kept)
    except ValueError: shown = Path(run_dir)
    cmd = command or f"spectroscopynet reproduce --scale {facts['scale']} --out {shown.as_posix()}{seed}"
    label = "simulated data, known truth" if facts['simulated'] else "real data"
    lines = [f"```sh\n{cmd}\n```", '']
    if (run/HELDOUT_FOLDER/'info.json').exists():
        lines += [f"**Held-out signal recovery** from that run ({facts['source']}; {label}):", '',
                  heldout_markdown(read_heldout(run/HELDOUT_FOLDER)[0], heading='')]
    else:
        lines += [f"(This run has no `{HELDOUT_FOLDER}/` folder: it was made before reproduce scored held-out targets; rerun the "
                  "command to add it.)", '']
    lines += [f"**Calibration RMSE** (wt%) from that run ({facts['source']}; {label}): leave one standard out, the paper's "
             f"linear head (`{regressor}`), [2.5-97.5 %] bootstrap interval over resampled standards.", '',
             markdown_table(rmse_pivot(head)), '', claims_summary(head, paired=paired), '']
    img = image or f"{run.name}/figures/{FIGURE_FILES[figure]}"
    # HTML rather than markdown: the figure keeps its natural width (the page scrolls it sideways) so its labels stay readable
    width = _png_width(run/'figures'/FIGURE_FILES[figure])
    lines += [f'<a href="{img}"><img src="{img}" alt="Fig. {figure} of that run" style="min-width: {width}px"></a>', '']
    return '\n'.join(lines)

def _png_width(path) -> int:
    "Pixel width of a PNG file (its IHDR chunk)"
    with open(path, 'rb') as f: head = f.read(24)
    return int.from_bytes(head[16:20], 'big')

def front_page_block(run_dir, # a folder written by `spectroscopynet reproduce`
                     images=ROOT/'nbs'/'images', # where the page's images live (the figure is copied there)
                     figure:int=6, # which of Figs. 1-7 to show
                     regressor:str='sgd', # calibration head of the table
                    ) -> str:
    "Copy the run's figure into `images` and return `front_page_markdown` linking it (relative to nbs/)"
    from spectroscopynet.figures import FIGURE_FILES
    run = Path(run_dir)
    if not (run/'report.md').exists():
        raise SystemExit(f"{run}: no report.md; run `spectroscopynet reproduce --scale cpu --out runs/cpu` at the repository's root first")
    src = run/'figures'/FIGURE_FILES[figure]
    dest = Path(images)/f"front_{FIGURE_FILES[figure]}"
    dest.parent.mkdir(parents=True, exist_ok=True); shutil.copyfile(src, dest)
    rel = Path(shutil.os.path.relpath(dest, ROOT/'nbs')).as_posix()
    return front_page_markdown(run, figure, rel, regressor)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('run_dir', help="a folder written by `spectroscopynet reproduce`")
    ap.add_argument('--figure', type=int, default=6, help="which of Figs. 1-7 to show (default 6)")
    ap.add_argument('--images', default=str(ROOT/'nbs'/'images'), help="where to copy the figure (default nbs/images)")
    ap.add_argument('--regressor', default='sgd', help="calibration head of the table (default sgd, the paper's)")
    a = ap.parse_args(argv)
    print(front_page_block(a.run_dir, a.images, a.figure, a.regressor))
    return 0

if __name__ == '__main__': sys.exit(main())
