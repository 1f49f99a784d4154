"""Build the docs site offline: execute the notebooks, render them to `_docs/`, regenerate README.md.

    python tools/docs.py                      # execute every notebook (slow cells too), render, README
    python tools/docs.py --no-execute         # render the outputs saved in the notebooks as they are
    python tools/docs.py --only 00_data 05_figures   # execute only these notebooks, then render the whole site

1. Unless `--no-execute`: run each notebook (or those named by `--only`) top to bottom in its own process with
   execnb's `CaptureShell`, in the notebook's folder, INCLUDING cells flagged `#| slow`, with
   `SPECTROSCOPYNET_SCALE` as set (default `cpu`); save the outputs back atomically, then `nbdev_clean`.
   A notebook with a failing cell is not saved and the command exits 1 at the end. A notebook with cells flagged
   `#| real` (they read the real data files, kept out of the repository) is executed only where the real data folder
   is present ($SPECTROSCOPYNET_REAL_DATA, else `shared/data/real` beside the repository); elsewhere it is skipped
   with the reason, and its saved outputs stay as they are.
2. Render. Where the real Quarto is on PATH: `nbdev_docs`, unchanged. Where it is not (nbdev 2.4.14's
   `nbdev_proc_nbs`/`nbdev_docs` then try to download and install Quarto and fail), the same nbdev notebook processing
   (`nbdev.serve_drv.main` with nbdev's `FilterDefaults` processors, as `nbdev.serve.proc_nbs` runs it) writes the
   processed notebooks to `_proc/`, and `smalldocs` (pure Python, vendored Bootstrap, no download) renders them with
   the same `_quarto.yml` to `_docs/`. Two things Quarto does that smalldocs does not are done here, on the processed
   copies only: pages are named after their `output-file` (`00_data.ipynb` -> `data.html`, as Quarto names them), and
   nbdev's absolute links into this site (`doc_host` + `doc_baseurl`) become relative, so the site works offline.
3. Finish the site, whichever renderer made it (`finish_site`): KaTeX, vendored in tools/vendor/katex, is copied to
   `site_libs/katex/` and the pages load it from there instead of a CDN, so maths renders offline; markdown links that
   nbdev leaves inside signature comments become links; a link to an anchor that no page has (a method or private
   helper nbdev links to but no `show_doc` renders) points at its class, or is unlinked; text in angle brackets that
   is no HTML element (`<target>`) is shown as text; the build machine's paths (a default argument such as
   `Path(__file__).parent/...`) become relative to the repository. Wide figures get a `min-width` at which their labels
   stay readable (the page's CSS scrolls them sideways instead of shrinking them). `site_problems` then lists what a
   reader would still trip over (a page loading anything from the network, a broken link or anchor, raw maths
   delimiters, a machine path); the build prints them and tests/test_docs.py fails on them.
4. README.md is regenerated from nbs/index.ipynb by tools/make_readme.py (the same on every machine, Quarto or not).

Executing a notebook records in its metadata (key `spectroscopynet`, kept by nbdev_clean through settings.ini's
`allowed_metadata_keys`) the package version, the scale and a fingerprint of the sources it ran (every file of the
package but `_modidx.py`, plus the notebook's own code cells); `python tools/docs.py --check-fresh` lists the notebooks
whose saved outputs do not come from the code as it is now (exit 1 if any).
"""
import argparse, base64, hashlib, html, io, json, os, re, shutil, struct, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT/'nbs'
PKG = ROOT/'spectroscopynet'
KATEX = ROOT/'tools'/'vendor'/'katex'
META_KEY = 'spectroscopynet'  # the notebook metadata key that records what made the saved outputs

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
    record = provenance(nb)  # fingerprint the sources before running them, so a change made meanwhile shows as stale
    CaptureShell(path=nb_path.parent, mpl_format='png').run_all(nb, exc_stop=True)
    nb.metadata[META_KEY] = record
    tmp = nb_path.with_name(f'.{nb_path.name}.tmp')
    write_nb(nb, tmp)
    os.replace(tmp, nb_path)

def real_data_missing():
    "None when the real data folder is present, else why not and where to put it (the package's `real_data_missing`)"
    sys.path.insert(0, str(ROOT))
    from spectroscopynet.data import real_data_missing as missing
    return missing()

def needs_real_data(nb_path) -> bool:
    "True if a code cell of `nb_path` carries the `#| real` flag (it reads the real data files)"
    cells = json.loads(Path(nb_path).read_text(encoding='utf-8'))['cells']
    return any(c['cell_type'] == 'code' and any(l.strip() == '#| real' for l in c['source']) for c in cells)

# ---- 1b. provenance of the saved outputs
def _code_cells(nb):
    cells = nb['cells'] if isinstance(nb, dict) else nb.cells
    return [''.join(c['source']).strip() for c in cells if c['cell_type'] == 'code']

def sources_fingerprint(nb, pkg=PKG) -> str:
    "sha256 of every file of the package but `_modidx.py` (the code any notebook imports) and of `nb`'s own code cells"
    h = hashlib.sha256()
    for p in sorted(Path(pkg).rglob('*')):
        if not p.is_file() or '__pycache__' in p.parts or p.name == '_modidx.py': continue
        data = p.read_bytes()
        if p.suffix == '.py': data = data.replace(b'\r\n', b'\n')
        h.update(p.relative_to(pkg).as_posix().encode() + b'\0' + hashlib.sha256(data).digest())
    for src in _code_cells(nb): h.update(b'\0cell\0' + src.encode('utf-8'))
    return h.hexdigest()

def _version(pkg=PKG):
    m = re.search(r'^__version__\s*=\s*[\'"]([^\'"]+)', (Path(pkg)/'__init__.py').read_text(encoding='utf-8'), flags=re.M)
    return m.group(1) if m else 'unknown'

def provenance(nb, pkg=PKG) -> dict:
    "What `execute_one` records in the notebook's metadata: package version, scale and the sources' fingerprint"
    return {'version': _version(pkg), 'scale': os.environ.get('SPECTROSCOPYNET_SCALE', 'cpu'),
            'sources_sha256': sources_fingerprint(nb, pkg)}

def has_outputs(nb) -> bool:
    cells = nb['cells'] if isinstance(nb, dict) else nb.cells
    return any(c.get('outputs') for c in cells if c['cell_type'] == 'code')

def staleness(nb_path, pkg=PKG):
    "Why the saved outputs of `nb_path` may not come from the code as it is now, or None when they do (or there are none)"
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    if not has_outputs(nb): return None
    rec = nb.get('metadata', {}).get(META_KEY)
    if not rec: return "its outputs were saved without a record of the code that made them (execute it with tools/docs.py)"
    if rec.get('sources_sha256') != sources_fingerprint(nb, pkg):
        return f"the package or the notebook's code changed since it was executed (version {rec.get('version')}, scale {rec.get('scale')})"
    return None

def stale_notebooks(nbs_list=None, pkg=PKG) -> dict:
    "{notebook name: why it is stale} over `nbs_list` (default every rendered notebook)"
    return {p.name: why for p in (nbs_list or notebooks()) if (why := staleness(p, pkg))}

def execute(nbs_list):
    "Execute each notebook in a fresh process; return the names of those that failed"
    env = {**os.environ, 'SPECTROSCOPYNET_SCALE': os.environ.get('SPECTROSCOPYNET_SCALE', 'cpu')}
    failed = []
    missing = real_data_missing()
    for nb in nbs_list:
        if missing and needs_real_data(nb):  # its saved outputs stay as they are
            print(f"skipped {nb.name}: its cells flagged `#| real` need the real data: {missing}", flush=True)
            continue
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

def _escape_docstring_stars(md:str) -> str:
    "show_doc writes the docstring as `*docstring*`: a `*` inside it (`(locations*shots,)`) would end the italics early"
    m = re.search(r'\n\n\*(.+)\*\s*$', md, flags=re.S)
    if not m or '```' in m.group(1): return md
    parts = re.split(r'(`[^`]*`)', m.group(1))  # backslash escapes do not work inside code spans: leave those alone
    inner = ''.join(x if i % 2 else re.sub(r'(?<!\\)\*', r'\\*', x) for i, x in enumerate(parts))
    return md[:m.start(1)] + inner + md[m.end(1):]

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
                if md: o['data']['text/markdown'] = _escape_docstring_stars(''.join(md).replace(site, ''))
        dest = proc/renames.get(p.name, p.name)
        if dest != p and dest.exists(): raise SystemExit(f"docs.py: two notebooks render to {dest.name}")
        dest.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')
        if dest != p: p.unlink()
    q = proc/'_quarto.yml'
    text = q.read_text(encoding='utf-8')
    for old, new in renames.items(): text = re.sub(rf'(?<![\w./-]){re.escape(old)}\b', new, text)
    text = re.sub(r'^\s*keep-md:.*\n', '', text, flags=re.M)  # a Quarto option for its .md files; smalldocs has none
    text = re.sub(r'^\s*html-math-method:.*\n', '', text, flags=re.M)  # smalldocs always uses KaTeX
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
        finish_site(out)
        return []
    proc = process(nbs, Path(proc) if proc else ROOT/'_proc')
    problems = output_problems(proc)
    if problems: raise SystemExit("docs.py: these outputs would show a traceback on the site:\n  " + '\n  '.join(problems))
    adapt_for_smalldocs(proc, cfg)
    warnings = render_smalldocs(proc, out)
    finish_site(out)
    return warnings

# ---- 3. finish the site, whichever renderer made it
KATEX_CDN = re.compile(r'https://cdn\.jsdelivr\.net/npm/katex@[^/"\']*/dist/')
HTML_TAGS = set("""a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code
col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 h2 h3 h4
h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript
object ol optgroup option output p param picture pre progress q rp rt ruby s samp script search section select slot small
source span strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track u ul var
video wbr svg path g circle rect line polyline polygon text tspan defs use symbol clippath lineargradient stop math mi mn
mo mrow msub msup mfrac semantics annotation font center""".split())
STRAY_TAG = re.compile(r'<(/?)([A-Za-z][\w]*)(\s[^<>]*)?>')  # a name with no hyphen: custom elements are left alone
MD_LINK_IN_COMMENT = re.compile(r'\[`([^`\]]+)`\]\(([^()\s"]+)\)')
LINK = re.compile(r'<a\s+href="([^"]*)"([^>]*)>(.*?)</a>', flags=re.S)

REMOTE_IMPORT = re.compile(r'@import\s+url\(\s*["\']?(?:https?:)?//[^)]*\)\s*;?')

def _pages(out): return sorted(p.resolve() for p in Path(out).rglob('*.html'))

def _ids(page_html): return set(re.findall(r'\bid="([^"]+)"', page_html))

def _escape_stray_tags(h):
    "Show `<target>`-like text that is no HTML element as text (outside <script> and <style>)"
    parts = re.split(r'(<(?:script|style)\b.*?</(?:script|style)>)', h, flags=re.S)
    fix = lambda m: m.group(0) if m.group(2).lower() in HTML_TAGS else html.escape(m.group(0), quote=False)
    return ''.join(x if i % 2 else STRAY_TAG.sub(fix, x) for i, x in enumerate(parts))

def _png_dpi(b:bytes):
    "The horizontal dpi a PNG records (pHYs chunk, metres), or None"
    i = 8
    while i + 8 <= len(b):
        n, kind = struct.unpack('>I4s', b[i:i+8])
        if kind == b'pHYs':
            ppu, _, unit = struct.unpack('>IIB', b[i+8:i+17])
            return ppu*0.0254 if unit == 1 and ppu else None
        if kind == b'IDAT': return None
        i += 12 + n
    return None

def readable_width(b:bytes):
    "The narrowest width (CSS px) at which a PNG's text keeps at least 1 px per point, or None when it says no dpi"
    if b[:8] != b'\x89PNG\r\n\x1a\n': return None
    dpi, width = _png_dpi(b), struct.unpack('>I', b[16:20])[0]
    return None if not dpi else int(width*72/dpi + 0.999)

def _min_width_figures(h):
    "Give each embedded PNG a min-width at which its labels stay readable (styles.css scrolls wider ones sideways)"
    def fix(m):
        tag = m.group(0)
        if 'min-width' in tag: return tag
        w = readable_width(base64.b64decode(m.group(1)))
        return tag if not w else tag.replace('<img ', f'<img style="min-width: {w}px" ', 1)
    return re.sub(r'<img [^>]*src="data:image/png;base64,([^"]+)"[^>]*>', fix, h)

def finish_site(out:Path, root:Path=ROOT):
    "Vendored KaTeX, links in signature comments, dangling anchors, stray tags, machine paths, readable figures"
    out = Path(out).resolve()
    if KATEX.exists(): shutil.copytree(KATEX, out/'site_libs'/'katex', dirs_exist_ok=True, ignore=shutil.ignore_patterns('README.md'))
    if (root/'nbs'/'images').is_dir():  # images a page links from raw HTML (the front page's full-size figure) too
        shutil.copytree(root/'nbs'/'images', out/'images', dirs_exist_ok=True)
    pages = {p: p.read_text(encoding='utf-8') for p in _pages(out)}
    machine = [str(Path(root).resolve()) + '/', str(Path(root)) + '/']
    try:  # an installed (not editable) package evaluates `Path(__file__)` defaults in site-packages
        import spectroscopynet
        machine.append(str(Path(spectroscopynet.__file__).resolve().parent.parent) + '/')
    except ImportError: pass
    machine = sorted(set(machine), key=len, reverse=True)
    for p, h in pages.items():
        offset = os.path.relpath(out, p.parent).replace(os.sep, '/') + '/'
        offset = '' if offset == './' else offset
        h = KATEX_CDN.sub(f'{offset}site_libs/katex/', h)
        h = re.sub(r'<span class="co">[^<]*</span>', lambda m: MD_LINK_IN_COMMENT.sub(r'<a href="\2">\1</a>', m.group(0)), h)
        h = _escape_stray_tags(h)
        for m in machine: h = h.replace(m, '').replace(html.escape(m), '')
        pages[p] = _min_width_figures(h)
    ids = {p: _ids(h) for p, h in pages.items()}
    for p, h in pages.items():
        def relink(m):
            href = html.unescape(m.group(1))
            if re.match(r'^[a-z][\w+.-]*:', href) or '#' not in href: return m.group(0)
            f, _, anchor = href.partition('#')
            target = (p.parent/f).resolve() if f else p
            if target not in ids or not anchor or anchor in ids[target]: return m.group(0)
            cls = anchor.split('.')[0]
            if '.' in anchor and cls in ids[target]: return f'<a href="{html.escape(f + "#" + cls)}"{m.group(2)}>{m.group(3)}</a>'
            return m.group(3)
        pages[p] = LINK.sub(relink, h)
    for p, h in pages.items(): p.write_text(h, encoding='utf-8')
    for css in Path(out).rglob('*.css'):  # the theme @imports its web font from Google: the system font stands in offline
        t = css.read_text(encoding='utf-8')
        if REMOTE_IMPORT.search(t): css.write_text(REMOTE_IMPORT.sub('', t), encoding='utf-8')
    for j in Path(out).rglob('search.json'):
        t = j.read_text(encoding='utf-8')
        for m in machine: t = t.replace(m, '')
        j.write_text(t, encoding='utf-8')

MACHINE_PATH = re.compile(r'(?<![\w.])/(?:work|tmp|root|home|opt|private|Users|var/folders)/[\w.-]+')
RAW_MATH = re.compile(r'\\\(|\\\[|\$\$')

def _visible_text(h):
    "The text a reader sees outside code and scripts (maths spans keep their TeX until KaTeX renders them)"
    h = re.sub(r'<(script|style|pre|code)\b.*?</\1>', ' ', h, flags=re.S)
    return html.unescape(re.sub(r'<[^>]+>', ' ', h))

def site_problems(out:Path) -> list:
    "What a reader of the built site in `out` would trip over, checked on the HTML (the browser test checks the rest)"
    out = Path(out).resolve()
    pages = {p: p.read_text(encoding='utf-8') for p in _pages(out)}
    ids = {p: _ids(h) for p, h in pages.items()}
    problems = []
    for p, h in pages.items():
        name = p.relative_to(out).as_posix()
        for attr, url in re.findall(r'<(?:script|link|img|iframe|source|audio|video)\b[^>]*?\b(src|href)="([^"]+)"', h):
            if re.match(r'^(?:[a-z][\w+.-]*:)?//', url): problems.append(f"{name}: loads {url[:80]} from the network")
        for href in re.findall(r'<a\s[^>]*?href="([^"]*)"', h):
            href = html.unescape(href)
            if re.match(r'^[a-z][\w+.-]*:', href) or href.startswith('//'): continue
            f, _, anchor = href.partition('#')
            target = (p.parent/f).resolve() if f else p
            if f and not target.exists(): problems.append(f"{name}: broken link {href}")
            elif anchor and target in ids and anchor not in ids[target]: problems.append(f"{name}: link to a missing anchor {href}")
        text = _visible_text(re.sub(r'<span class="math (?:inline|display)">.*?</span>', ' ', h, flags=re.S))
        for m in RAW_MATH.finditer(text): problems.append(f"{name}: raw maths outside a maths span: {text[max(0, m.start()-40):m.end()+40]!r}")
        for m in re.finditer(r'(?<![\w$\\])\$[^\s$][^$\n]{0,80}\$', text): problems.append(f"{name}: unrendered $maths$: {m.group(0)!r}")
        for m in MACHINE_PATH.finditer(h): problems.append(f"{name}: a path of the build machine: {m.group(0)}")
        stray = {t for t in re.findall(r'<([A-Za-z]\w*)', re.sub(r'<(script|style)\b.*?</\1>', '', h, flags=re.S)) if t.lower() not in HTML_TAGS}
        if stray: problems.append(f"{name}: text swallowed as unknown HTML elements {sorted(stray)}")
        for m in re.finditer(r'\w<em>|\*</p>', h): problems.append(f"{name}: '*' inside a word rendered as italics: {h[m.start()-30:m.end()+30]!r}")
        for m in re.finditer(r'\[`[^`\]]+`\]\(', h): problems.append(f"{name}: a raw markdown link: {h[m.start():m.end()+40]!r}")
    for css in sorted(out.rglob('*.css')):
        for m in re.finditer(r'url\(\s*["\']?((?:https?:)?//[^)"\']*)', css.read_text(encoding='utf-8')):
            problems.append(f"{css.relative_to(out).as_posix()}: loads {m.group(1)[:80]} from the network")
    return problems

# ---- 4. README
def readme():
    subprocess.run([sys.executable, str(ROOT/'tools'/'make_readme.py')], cwd=ROOT, check=True)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--no-execute', action='store_true', help="render the outputs saved in the notebooks")
    ap.add_argument('--only', nargs='+', metavar='NB', help="execute only these notebooks (the site is always whole)")
    ap.add_argument('--out', help="the site's folder (default: doc_path from settings.ini, _docs)")
    ap.add_argument('--proc', help="the folder for nbdev's processed notebooks (default _proc; with Quarto, nbdev_docs always uses _proc)")
    ap.add_argument('--no-readme', action='store_true', help="leave README.md as it is")
    ap.add_argument('--check-fresh', action='store_true',
                    help="list the notebooks whose saved outputs do not come from the code as it is now (exit 1 if any); build nothing")
    ap.add_argument('--execute-one', help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.execute_one: return execute_one(Path(a.execute_one))
    if a.check_fresh:
        stale = stale_notebooks(notebooks(only=a.only))
        for name, why in stale.items(): print(f"stale: {name}: {why}")
        print(f"{len(stale)} stale notebook(s)" if stale else "every notebook's saved outputs come from the code as it is now")
        return 1 if stale else 0
    t0, failed = time.time(), []
    if not a.no_execute: failed = execute(notebooks(only=a.only))
    warnings = render(a.out, a.proc)
    for w in warnings: print(f"smalldocs warning: {w}")
    out_dir = Path(a.out) if a.out else _cfg().doc_path
    for p in site_problems(out_dir): print(f"site problem: {p}")
    for name, why in stale_notebooks().items(): print(f"stale outputs: {name}: {why}")
    if not a.no_readme: readme()
    out = Path(a.out) if a.out else _cfg().doc_path
    print(f"site in {os.path.relpath(out, Path.cwd())}/ ({len(list(out.glob('*.html')))} pages) in {time.time()-t0:.0f} s")
    if failed:
        print(f"docs.py: these notebooks have a failing cell and were not saved: {failed}", file=sys.stderr)
        return 1
    return 0

if __name__ == '__main__': sys.exit(main())
