"""Build the docs site offline: execute the notebooks, render them to `_docs/`, regenerate README.md.

    python tools/docs.py                      # execute every notebook (slow cells too), render, README
    python tools/docs.py --no-execute         # render the outputs saved in the notebooks as they are
    python tools/docs.py --only 00_data 05_figures   # execute only these notebooks, then render the whole site

1. Unless `--no-execute`: run each notebook (or those named by `--only`) top to bottom in its own process with
   execnb's `CaptureShell`, in the notebook's folder, INCLUDING cells flagged `#| slow`, with
   `SPECTROSCOPYNET_SCALE` as set (default `cpu`); save the outputs back atomically, then `nbdev_clean`.
   A notebook with a failing cell is not saved and the command exits 1 at the end.
2. Render. Where the real Quarto is on PATH: `nbdev_docs`, unchanged. Where it is not (nbdev 2.4.14's
   `nbdev_proc_nbs`/`nbdev_docs` then try to download and install Quarto and fail), the same nbdev notebook processing
   (`nbdev.serve_drv.main` with nbdev's `FilterDefaults` processors, as `nbdev.serve.proc_nbs` runs it) writes the
   processed notebooks to `_proc/`, and `smalldocs` (pure Python, vendored Bootstrap, no download) renders them with
   the same `_quarto.yml` to `_docs/`. Two things Quarto does that smalldocs does not are done here, on the processed
   copies only: pages are named after their `output-file` (`00_data.ipynb` -> `data.html`, as Quarto names them), and
   nbdev's absolute links into this site (`doc_host` + `doc_baseurl`) become relative, so the site works offline.
3. README.md is regenerated from nbs/index.ipynb by tools/make_readme.py (the same on every machine, Quarto or not).
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'

def notebooks(nbs=NBS, only=None):
    "The notebooks of `nbs` that nbdev renders (names starting with `_` or `.` are not), or the ones named in `only`"
    nbs_found = sorted(p for p in Path(nbs).glob('*.ipynb') if not p.name.startswith(('_', '.')))
    if not only: return nbs_found
    want = {Path(o).stem for o in only}
    missing = want - {p.stem for p in nbs_found}
    if missing: raise SystemExit(f"docs.py: --only names notebooks that are not in {nbs}: {sorted(missing)}")
    return [p for p in nbs_found if p.stem in want]

# ---- 1. execute
def execute_one(nb_path:Path):
    "Run every cell of `nb_path` (slow ones too) in its folder and save the outputs atomically; raise on a failing cell"
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    nb_path = Path(nb_path).resolve()
    os.chdir(nb_path.parent)
    nb = read_nb(nb_path)
    CaptureShell(path=nb_path.parent, mpl_format='png').run_all(nb, exc_stop=True)
    tmp = nb_path.with_name(f'.{nb_path.name}.tmp')
    write_nb(nb, tmp)
    os.replace(tmp, nb_path)

def execute(nbs_list):
    "Execute each notebook in a fresh process; return the names of those that failed"
    env = {**os.environ, 'SPECTROSCOPYNET_SCALE': os.environ.get('SPECTROSCOPYNET_SCALE', 'cpu')}
    failed = []
    for nb in nbs_list:
        t0 = time.time()
        r = subprocess.run([sys.executable, __file__, '--execute-one', str(nb)], env=env)
        print(f"executed {nb.name}: {'ok' if r.returncode == 0 else 'FAILED'} in {time.time()-t0:.0f} s", flush=True)
        if r.returncode: failed.append(nb.name)
    subprocess.run(['nbdev_clean'], cwd=ROOT, check=True)
    return failed

# ---- 2a. nbdev's notebook processing, without Quarto
def _cfg():
    from nbdev.config import get_config
    return get_config(path=ROOT)

def nbdev_yml(cfg) -> str:
    "The `nbdev.yml` that nbdev's `refresh_quarto_yml` writes, made without writing into nbs/"
    from nbdev.quarto import _nbdev_yml
    vals = {k: cfg[k] for k in ['title', 'description', 'branch', 'git_url', 'doc_host', 'doc_baseurl']}
    return _nbdev_yml.format(doc_path=cfg.doc_path.name, **vals)

def process(nbs=NBS, proc=ROOT/'_proc', n_workers=2):
    "Write nbdev's processed copy of `nbs` to `proc` (fresh), as `nbdev.serve.proc_nbs` does for `nbdev_docs`"
    import nbdev.serve_drv
    from nbdev.processors import FilterDefaults
    from fastcore.parallel import parallel
    nbs, proc = Path(nbs), Path(proc)
    shutil.rmtree(proc, ignore_errors=True)
    proc.mkdir(parents=True)
    jobs = []
    for s in sorted(nbs.rglob('*')):
        rel = s.relative_to(nbs)
        if not s.is_file() or any(p.startswith(('.', '_')) for p in rel.parts) or rel.name in ('nbdev.yml', 'sidebar.yml'): continue
        d = proc/rel
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.suffix == '.ipynb': jobs.append((s, d, FilterDefaults))
        else: shutil.copy2(s, d)
    shutil.copyfile(nbs/'_quarto.yml', proc/'_quarto.yml')  # a real file, not the link
    (proc/'nbdev.yml').write_text(nbdev_yml(_cfg()), encoding='utf-8')
    here = Path.cwd()
    os.chdir(ROOT)  # nbdev's processors read settings.ini from the working folder, in the spawned workers too
    try: parallel(nbdev.serve_drv.main, jobs, n_workers=n_workers, pause=0.01, method='spawn')
    except Exception as e:
        raise SystemExit(f"docs.py: nbdev's processing failed: {e}\n(nbdev re-runs every exported cell and every cell that "
                         "holds an import, to render show_doc: keep imports out of cells that use test-only variables)") from None
    finally: os.chdir(here)
    missing = [d.name for s, d, _ in jobs if not d.exists()]
    if missing: raise SystemExit(f"docs.py: nbdev's processing wrote no {missing}")
    return proc

ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')

def output_problems(proc:Path):
    "Errors and tracebacks in the outputs of the processed notebooks (a show_doc that failed shows up here)"
    problems = []
    for p in sorted(Path(proc).glob('*.ipynb')):
        for i, c in enumerate(json.loads(p.read_text(encoding='utf-8'))['cells']):
            for o in c.get('outputs', []):
                texts = [o.get('text', '')] + [v for k, v in o.get('data', {}).items() if k.startswith('text/')]
                text = ANSI.sub('', ''.join(''.join(x) if isinstance(x, list) else x for x in texts))
                if o.get('output_type') == 'error' or 'Traceback (most recent call last)' in text:
                    last = (o.get('evalue') or [l for l in text.splitlines() if l.strip()][-1])[:200]
                    src = ''.join(c['source']).strip().splitlines()
                    problems.append(f"{p.name} cell {i} ({src[-1][:80] if src else ''}): {last}")
    return problems

# ---- 2b. what Quarto does that smalldocs does not
def _front_matter(nb):
    c = nb['cells'][0] if nb['cells'] else None
    if c and c['cell_type'] == 'raw':
        m = re.match(r'^---\n(.*?)\n---', ''.join(c['source']), flags=re.S)
        if m: return c, m
    return None, None

def adapt_for_smalldocs(proc:Path, cfg=None):
    "Name pages after their `output-file`, make links into this site relative; return {old notebook name: new}"
    cfg = cfg or _cfg()
    site = f"{cfg.doc_host.rstrip('/')}{cfg.doc_baseurl.rstrip('/')}/"
    renames = {}
    for p in sorted(proc.glob('*.ipynb')):
        nb = json.loads(p.read_text(encoding='utf-8'))
        cell, m = _front_matter(nb)
        if cell:
            out = re.search(r'^output-file:\s*(\S+)\s*$', m.group(1), flags=re.M)
            if out: renames[p.name] = Path(out.group(1)).with_suffix('.ipynb').name
            cell['source'] = re.sub(r'^output-file:.*\n', '', ''.join(cell['source']), flags=re.M)
        for c in nb['cells']:
            if c['cell_type'] == 'markdown': c['source'] = ''.join(c['source']).replace(site, '')
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')
                if md: o['data']['text/markdown'] = ''.join(md).replace(site, '')
        dest = proc/renames.get(p.name, p.name)
        if dest != p and dest.exists(): raise SystemExit(f"docs.py: two notebooks render to {dest.name}")
        dest.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')
        if dest != p: p.unlink()
    q = proc/'_quarto.yml'
    text = q.read_text(encoding='utf-8')
    for old, new in renames.items(): text = re.sub(rf'(?<![\w./-]){re.escape(old)}\b', new, text)
    text = re.sub(r'^\s*keep-md:.*\n', '', text, flags=re.M)  # a Quarto option for its .md files; smalldocs has none
    q.write_text(text, encoding='utf-8')
    return renames

def render_smalldocs(proc:Path, out:Path):
    "Render `proc` with smalldocs into `out` (replaced whole); return the build's warnings"
    from smalldocs.site import build
    site = build(proc, quiet=True)
    built = Path(site.out)
    out = Path(out).resolve()
    if out.exists(): shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(out))
    return list(site.warnings)

def render(out=None, proc=None, nbs=NBS):
    "Render the site to `out` (default the configured doc_path, `_docs`): nbdev_docs with Quarto, else smalldocs"
    cfg = _cfg()
    out = Path(out) if out else cfg.doc_path
    if shutil.which('quarto'):
        subprocess.run(['nbdev_docs'], cwd=ROOT, check=True)
        if out.resolve() != cfg.doc_path.resolve():
            shutil.rmtree(out, ignore_errors=True); shutil.copytree(cfg.doc_path, out)
        return []
    proc = process(nbs, Path(proc) if proc else ROOT/'_proc')
    problems = output_problems(proc)
    if problems: raise SystemExit("docs.py: these outputs would show a traceback on the site:\n  " + '\n  '.join(problems))
    adapt_for_smalldocs(proc, cfg)
    return render_smalldocs(proc, out)

# ---- 3. README
def readme():
    subprocess.run([sys.executable, str(ROOT/'tools'/'make_readme.py')], cwd=ROOT, check=True)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--no-execute', action='store_true', help="render the outputs saved in the notebooks")
    ap.add_argument('--only', nargs='+', metavar='NB', help="execute only these notebooks (the site is always whole)")
    ap.add_argument('--out', help="the site's folder (default: doc_path from settings.ini, _docs)")
    ap.add_argument('--proc', help="the folder for nbdev's processed notebooks (default _proc; with Quarto, nbdev_docs always uses _proc)")
    ap.add_argument('--no-readme', action='store_true', help="leave README.md as it is")
    ap.add_argument('--execute-one', help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.execute_one: return execute_one(Path(a.execute_one))
    t0, failed = time.time(), []
    if not a.no_execute: failed = execute(notebooks(only=a.only))
    warnings = render(a.out, a.proc)
    for w in warnings: print(f"smalldocs warning: {w}")
    if not a.no_readme: readme()
    out = Path(a.out) if a.out else _cfg().doc_path
    print(f"site in {os.path.relpath(out, Path.cwd())}/ ({len(list(out.glob('*.html')))} pages) in {time.time()-t0:.0f} s")
    if failed:
        print(f"docs.py: these notebooks have a failing cell and were not saved: {failed}", file=sys.stderr)
        return 1
    return 0

if __name__ == '__main__': sys.exit(main())
