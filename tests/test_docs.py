"""The docs site builds offline from the outputs saved in the notebooks, and a real browser, with the network off, shows it.

`python tools/docs.py --no-execute` renders into a temporary folder (the repository is not touched); headless
Chromium, over a local http server on 127.0.0.1 (the site's search fetches `search.json`, which `file://` forbids) and
with every other host unreachable (`--host-resolver-rules`), takes a screenshot of the index and of one chapter page
and loads every page with a small probe script. A test fails when a page is blank, its CSS did not load, a figure is
missing, broken or shown smaller than its labels can be read, a page asks the network for anything, maths is left as
raw `\\(`/`\\[`/`$$` text or KaTeX reports an error, a table has no cell padding, a chapter has no page, or search finds
nothing; and, on the HTML (`docs.site_problems`), on a broken internal link or anchor, a raw markdown link, text
swallowed as an unknown HTML element, a stray `*` rendered as italics, or a path of the build machine. A second test
renders a one-figure notebook through the same pipeline and checks that the figure is visible in the screenshot.

`test_saved_outputs_are_fresh` (marker `fresh`) fails when a notebook's saved outputs do not come from the code as it
is now (`python tools/docs.py --check-fresh`), and `test_sizes_named_with_a_preset_match_it` (marker `fresh`) when prose
or an output gives a preset's network size (`the cpu config, D = 6`) that `ModelConfig.<preset>()` does not have:
deselect them with `-m "not fresh"` between a change and the re-execution of the notebooks.

Needs Debian's `chromium` (CI installs it); without it the browser tests skip, unless SPECTROSCOPYNET_REQUIRE_BROWSER=1
(as in .ci/run), where they fail. Set SPECTROSCOPYNET_SHOTS=<folder> to keep the screenshots for a look."""
import base64, contextlib, functools, importlib.util, io, json, os, re, shutil, subprocess, sys, threading
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((shutil.which(c) for c in ('chromium', 'chromium-browser', 'google-chrome') if shutil.which(c)), None)
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--hide-scrollbars',
         # the network is off: every host name but the local server's fails to resolve
         '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', '--proxy-server=127.0.0.1:9']

def _docs_module():
    spec = importlib.util.spec_from_file_location('spectroscopynet_docs_tool', ROOT/'tools'/'docs.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

docs = _docs_module()

def need_browser():
    if CHROMIUM: return
    msg = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get('SPECTROSCOPYNET_REQUIRE_BROWSER') == '1': pytest.fail(msg)
    pytest.skip(msg)

class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass

@pytest.fixture(scope='module')
def served(tmp_path_factory):
    "A local http server on 127.0.0.1 over a fresh temporary folder: (folder, base url)"
    root = tmp_path_factory.mktemp('served')
    srv = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield root, f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown(); srv.server_close()

@pytest.fixture(scope='module')
def site(served, tmp_path_factory):
    "The site built from the saved outputs with tools/docs.py --no-execute, into the served folder"
    root, url = served
    proc = tmp_path_factory.mktemp('proc')
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'docs.py'), '--no-execute', '--no-readme',
                        '--out', str(root/'site'), '--proc', str(proc)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"tools/docs.py failed:\n{r.stdout}\n{r.stderr}"
    return root/'site', f'{url}/site', r.stdout

def chromium(*args, tmp):
    r = subprocess.run([CHROMIUM, *FLAGS, f'--user-data-dir={tmp/"chromium-profile"}', *args],
                       capture_output=True, text=True, timeout=120)
    return r

def screenshot(url, png:Path, tmp):
    "Save a 1280x1600 screenshot of `url` to `png`"
    r = chromium(f'--screenshot={png}', '--window-size=1280,1600', '--virtual-time-budget=5000', url, tmp=tmp)
    assert png.exists(), f"chromium made no screenshot of {url}:\n{r.stderr[-2000:]}"
    if os.environ.get('SPECTROSCOPYNET_SHOTS'):
        keep = Path(os.environ['SPECTROSCOPYNET_SHOTS']); keep.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, keep/png.name)
    return png

PROBE = r"""<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const res = {n_img: imgs.length, bad_img: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80)),
               img_sizes: imgs.map(i => [i.naturalWidth, i.getBoundingClientRect().width])};
  const input = document.querySelector('.smalldocs-search input, #quarto-search input, input[type=search]');
  res.search_box = !!input;
  if (input) { input.value = %s; input.dispatchEvent(new Event('input')); input.dispatchEvent(new Event('focus')); }
  setTimeout(() => {
    res.search_hits = document.querySelectorAll('.search-result, .aa-Item').length;
    // everything the page asked for (stylesheets, scripts, fonts, images, fetches) and every URL it names
    const urls = performance.getEntriesByType('resource').map(e => e.name)
      .concat([...document.querySelectorAll('script[src], link[href], img[src], iframe[src], source[src]')].map(e => e.src || e.href));
    res.remote = [...new Set(urls.filter(u => !u.startsWith(location.origin + '/') && !u.startsWith('data:')))];
    // text a reader sees that still holds maths delimiters (code and rendered maths aside)
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
      n.parentElement.closest('pre, code, script, style, .katex, #probe-result') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    res.raw_math = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const m = n.textContent.match(/\\\(|\\\[|\$\$/);
      if (m) res.raw_math.push(n.textContent.slice(Math.max(0, m.index - 30), m.index + 50));
    }
    res.n_math = document.querySelectorAll('span.math').length;
    res.n_katex = document.querySelectorAll('span.math .katex').length;
    res.katex_errors = [...document.querySelectorAll('.katex-error')].map(e => e.textContent.slice(0, 80));
    res.font_ok = document.fonts ? [...document.fonts].filter(f => f.family.includes('KaTeX') && f.status === 'error').length === 0 : true;
    res.unpadded = [...document.querySelectorAll('main td, main th')].filter(c => c.textContent.trim() &&
      parseFloat(getComputedStyle(c).paddingLeft) + parseFloat(getComputedStyle(c).paddingRight) < 4).length;
    const el = document.createElement('pre'); el.id = 'probe-result'; el.textContent = JSON.stringify(res);
    document.body.appendChild(el);
  }, 2500);
});
</script>"""

def probe(site_dir:Path, base_url, page, tmp, query='scale'):
    "Load a copy of `page` with the probe script in Chromium; return what it found"
    copy = site_dir/f'_probe_{page}'
    copy.write_text((site_dir/page).read_text(encoding='utf-8').replace('</body>', PROBE % json.dumps(query) + '</body>'),
                    encoding='utf-8')
    try: r = chromium('--virtual-time-budget=10000', '--dump-dom', f'{base_url}/{copy.name}', tmp=tmp)
    finally: copy.unlink()
    m = re.search(r'<pre id="probe-result">(.*?)</pre>', r.stdout, flags=re.S)
    assert m, f"the probe on {page} reported nothing; chromium said:\n{r.stderr[-2000:]}"
    return json.loads(m.group(1).replace('&quot;', '"').replace('&amp;', '&'))

def gray(png): 
    from PIL import Image
    return np.asarray(Image.open(png).convert('L'), dtype=float)

def assert_not_blank(png):
    g = gray(png)
    assert g.std() > 10 and (g < 200).mean() > 0.01, f"{png.name} looks blank (std {g.std():.1f}, ink {(g < 200).mean():.4f})"
    assert g[5:35].mean() < 200, f"{png.name}: the navbar is not coloured, so the site's CSS did not load"

def data_images(html):
    "The pictures embedded in a page as data: URIs, decoded"
    return [base64.b64decode(b) for b in re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', html)]

def assert_images_ok(html, page, site_dir):
    from PIL import Image
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
        if src.startswith('data:'): continue
        assert not re.match(r'\w+://', src), f"{page}: <img> {src} needs the network"
        assert (site_dir/src).is_file(), f"{page}: <img> {src} is missing on disk"
    for n, b in enumerate(data_images(html)):
        try: Image.open(io.BytesIO(b)).verify()
        except Exception as e: pytest.fail(f"{page}: embedded picture {n} is not a valid PNG ({e})")

def sidebar_pages(index_html):
    return {h for h in re.findall(r'href="([^"#:]+\.html)"', index_html)}

@pytest.mark.slow
def test_every_chapter_has_a_page(site):
    site_dir, _, out = site
    pages = {p.name for p in site_dir.glob('*.html')}
    nbs = docs.notebooks()
    assert len(pages) == len(nbs), f"{len(nbs)} notebooks but pages {sorted(pages)}"
    linked = sidebar_pages((site_dir/'index.html').read_text(encoding='utf-8'))
    assert pages <= linked | {'index.html'}, f"pages the index's navigation does not link: {sorted(pages - linked)}"
    assert not [l for l in linked if not (site_dir/l).exists()], f"broken links on the index: {sorted(l for l in linked if not (site_dir/l).exists())}"
    assert 'broken link' not in out, out
    assert (site_dir/'search.json').exists() and json.loads((site_dir/'search.json').read_text(encoding='utf-8'))

def chapter_with_figure(site_dir):
    "The first chapter page (in sidebar order) with an <img>; else the first chapter page"
    order = [p for p in re.findall(r'href="([^"#:]+\.html)"', (site_dir/'index.html').read_text(encoding='utf-8'))
             if p != 'index.html' and (site_dir/p).exists()]
    order = list(dict.fromkeys(order))
    return next((p for p in order if '<img' in (site_dir/p).read_text(encoding='utf-8')), order[0])

@pytest.mark.slow
def test_site_html_has_no_problems(site):
    "Internal links and anchors resolve, nothing loads from the network, no raw maths/markdown/tags, no machine paths"
    site_dir, _, _ = site
    problems = docs.site_problems(site_dir)
    assert not problems, "\n".join(problems)
    assert (site_dir/'site_libs'/'katex'/'katex.min.js').exists(), "the vendored KaTeX is not in the site"
    from spectroscopynet.cli import COMMANDS
    cli = (site_dir/'cli.html').read_text(encoding='utf-8')
    missing = [v for v in COMMANDS if f'usage: spectroscopynet {v} ' not in cli]
    assert not missing, f"the Command line page does not show the --help of {missing}"

def assert_figures_readable(html, sizes, page):
    "Each embedded PNG is shown at least as wide as the width at which its text keeps 1 px per point"
    pngs = [m for m in re.findall(r'<img[^>]+src="([^"]+)"', html)]
    assert len(pngs) == len(sizes), (page, len(pngs), len(sizes))
    for n, (src, (natural, shown)) in enumerate(zip(pngs, sizes)):
        need = docs.readable_width(base64.b64decode(src.split(',', 1)[1])) if src.startswith('data:image/png') else None
        need = need or natural  # no dpi recorded: the figure's own pixels are its readable size
        assert shown >= 0.95*min(need, natural), (f"{page}: figure {n} is shown {shown:.0f} px wide; below {need} px "
                                                  f"(natural {natural} px) its labels are too small to read")

@pytest.mark.slow
def test_every_page_in_an_offline_browser(site, tmp_path):
    need_browser()
    site_dir, url, _ = site
    chapter = chapter_with_figure(site_dir)
    for page in ['index.html', chapter]:
        assert_not_blank(screenshot(f'{url}/{page}', tmp_path/f'site_{Path(page).stem}.png', tmp_path))
    for page in sorted(p.name for p in site_dir.glob('*.html')):
        html = (site_dir/page).read_text(encoding='utf-8')
        assert_images_ok(html, page, site_dir)
        found = probe(site_dir, url, page, tmp_path)
        assert found['n_img'] == html.count('<img'), (page, found)
        assert not found['bad_img'], f"{page}: figures that did not load: {found['bad_img']}"
        assert found['search_box'] and found['search_hits'] > 0, f"{page}: search found nothing for 'scale': {found}"
        assert not found['remote'], f"{page} asks the network for {found['remote']}"
        assert not found['raw_math'], f"{page}: maths left as raw text: {found['raw_math']}"
        assert found['n_katex'] == found['n_math'], f"{page}: KaTeX rendered {found['n_katex']} of {found['n_math']} maths spans"
        assert not found['katex_errors'] and found['font_ok'], f"{page}: KaTeX errors {found['katex_errors']}, fonts ok {found['font_ok']}"
        assert not found['unpadded'], f"{page}: {found['unpadded']} table cells have no padding"
        assert_figures_readable(html, found['img_sizes'], page)

def _figure_png():
    "A PNG with a thick red line on white, as a matplotlib figure in a notebook would be"
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3), dpi=80)
    ax.plot([0, 1], [0, 1], color='red', lw=12); ax.set_title('docs test figure')
    buf = io.BytesIO(); fig.savefig(buf, format='png'); plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()

@pytest.mark.slow
def test_a_figure_shows_in_the_browser(served, tmp_path):
    "A notebook with one saved PNG output goes through nbdev's processing and smalldocs and the figure is visible"
    need_browser()
    root, url = served
    nbs = tmp_path/'nbs'; nbs.mkdir()
    (nbs/'_quarto.yml').write_text("project:\n  type: website\n  output-dir: _docs\nformat:\n  html:\n    theme: cosmo\n"
                                   "website:\n  title: figure test\n  navbar:\n    background: primary\n    search: true\n")
    cells = [dict(cell_type='markdown', metadata={}, source='# Figure test\n> one saved figure'),
             dict(cell_type='code', metadata={}, execution_count=None, source='#| slow\nplot()',
                  outputs=[dict(output_type='display_data', metadata={},
                                data={'image/png': _figure_png(), 'text/plain': '<Figure size 400x240 with 1 Axes>'})])]
    nb = dict(cells=cells, metadata=dict(kernelspec=dict(name='python3', language='python', display_name='Python 3')),
              nbformat=4, nbformat_minor=5)
    (nbs/'99_figure.ipynb').write_text(json.dumps(nb))
    proc = docs.process(nbs, tmp_path/'proc')
    docs.adapt_for_smalldocs(proc)
    site_dir = root/'figure_site'
    docs.render_smalldocs(proc, site_dir)
    page = 'figure.html'
    html = (site_dir/page).read_text(encoding='utf-8')
    assert len(data_images(html)) == 1, "the saved figure is not on the page"
    assert '#| slow' not in html and 'plot()' in html
    found = probe(site_dir, f'{url}/figure_site', page, tmp_path, query='figure')
    assert found['n_img'] == 1 and not found['bad_img'], found
    from PIL import Image
    shot = np.asarray(Image.open(screenshot(f'{url}/figure_site/{page}', tmp_path/'figure_test.png', tmp_path)).convert('RGB'), dtype=int)
    red = (shot[..., 0] > 200) & (shot[..., 1] < 80) & (shot[..., 2] < 80)
    assert red.sum() > 500, f"the figure's red line is not visible in the screenshot ({red.sum()} red pixels)"

MACHINE_PATH = re.compile(r'(?<![\w.])/(?:work|tmp|root|home|opt|private|Users|var/folders)/[\w.-]+')
MAX_NB_BYTES = 5_000_000

@pytest.mark.parametrize('nb', docs.notebooks(), ids=lambda p: p.stem)
def test_saved_outputs_are_publishable(nb):
    "The docs show the saved outputs as they are: no errors, no paths of the machine that made them, modest size"
    cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
    problems = []
    for i, c in enumerate(cells):
        for o in c.get('outputs', []):
            if o.get('output_type') == 'error': problems.append(f"cell {i}: error output {o.get('ename')}: {o.get('evalue')}")
            texts = [o.get('text', '')] + [v for k, v in o.get('data', {}).items() if k.startswith('text/')]
            text = ''.join(''.join(t) if isinstance(t, list) else t for t in texts)
            if 'Traceback (most recent call last)' in text: problems.append(f"cell {i}: a traceback in the output")
            problems += [f"cell {i}: machine path {m} in the output" for m in sorted(set(MACHINE_PATH.findall(text)))]
    assert nb.stat().st_size < MAX_NB_BYTES, f"{nb.name} is {nb.stat().st_size/1e6:.1f} MB: make its figures smaller"
    assert not problems, f"{nb.name}: " + '; '.join(problems)

def test_staleness_is_detected(tmp_path):
    "A notebook is stale until executed, fresh after, and stale again when the package or one of its code cells changes"
    pkg = tmp_path/'pkg'; pkg.mkdir()
    (pkg/'__init__.py').write_text("__version__ = '9.9'\n"); (pkg/'core.py').write_text("x = 1\n"); (pkg/'_modidx.py').write_text("d = {}\n")
    cells = [dict(cell_type='markdown', metadata={}, source='# T'),
             dict(cell_type='code', metadata={}, execution_count=1, source='x + 1',
                  outputs=[dict(output_type='stream', name='stdout', text='2\n')])]
    nb = dict(cells=cells, metadata={}, nbformat=4, nbformat_minor=5)
    path = tmp_path/'t.ipynb'
    save = lambda: path.write_text(json.dumps(nb))
    save()
    assert 'without a record' in docs.staleness(path, pkg)
    nb['metadata'][docs.META_KEY] = docs.provenance(nb, pkg); save()
    assert docs.staleness(path, pkg) is None and nb['metadata'][docs.META_KEY]['version'] == '9.9'
    (pkg/'_modidx.py').write_text("d = {'a': 1}\n")
    assert docs.staleness(path, pkg) is None, "the doc index is no source of outputs"
    (pkg/'core.py').write_text("x = 2\n")
    assert 'changed' in docs.staleness(path, pkg)
    (pkg/'core.py').write_text("x = 1\n"); assert docs.staleness(path, pkg) is None
    cells[1]['source'] = 'x + 2'; save()
    assert 'changed' in docs.staleness(path, pkg)
    cells[1]['outputs'] = []; save()
    assert docs.staleness(path, pkg) is None, "a notebook without saved outputs shows nothing stale"

def test_site_fixes(tmp_path):
    "finish_site: local KaTeX, links in signature comments, dangling anchors to the class or unlinked, stray tags, paths"
    (tmp_path/'data.html').write_text(
        '<html><head><script src="https://cdn.jsdelivr.net/npm/katex@0.16.11/dist/katex.min.js"></script></head><body>'
        '<h3 id="campaign">Campaign</h3><p><a href="data.html#campaign.load"><code>Campaign.load</code></a> '
        '<a href="data.html#_helper"><code>_helper</code></a> &lt;x&gt; <target>/<YYYY_MM_DD>_ccs.csv</p>'
        f'<pre><code><span class="co"># from [`load`](data.html#campaign) at {docs.ROOT}/spectroscopynet/a.npz</span></code></pre></body></html>')
    assert len(docs.site_problems(tmp_path)) >= 5
    docs.finish_site(tmp_path)
    h = (tmp_path/'data.html').read_text()
    assert 'src="site_libs/katex/katex.min.js"' in h and (tmp_path/'site_libs/katex/fonts').is_dir()
    assert '<a href="data.html#campaign"><code>Campaign.load</code></a>' in h and '<code>_helper</code> ' in h
    assert '&lt;target&gt;/&lt;YYYY_MM_DD&gt;' in h and '<a href="data.html#campaign">load</a>' in h
    assert 'spectroscopynet/a.npz' in h and str(docs.ROOT) not in h
    assert docs.site_problems(tmp_path) == []

def test_readable_width():
    "The width at which a figure's text keeps 1 px per point follows the dpi the PNG records"
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    for dpi in (80, 160):
        fig = plt.figure(figsize=(10, 2)); buf = io.BytesIO(); fig.savefig(buf, format='png', dpi=dpi); plt.close(fig)
        assert abs(docs.readable_width(buf.getvalue()) - 720) <= 2, (dpi, docs.readable_width(buf.getvalue()))

@pytest.mark.fresh
@pytest.mark.parametrize('nb', docs.notebooks(), ids=lambda p: p.stem)
def test_saved_outputs_are_fresh(nb):
    "The saved outputs come from the package and the notebook's code as they are now (tools/docs.py records it)"
    why = docs.staleness(nb)
    assert why is None, f"{nb.name}: {why}; run `python tools/docs.py --only {nb.stem}`"

def test_front_page_block(tmp_path):
    "tools/front_page.py: the command, the run's own RMSE table and recovery errors, and its figure copied for the site"
    import pandas as pd
    spec = importlib.util.spec_from_file_location('spectroscopynet_front_page', ROOT/'tools'/'front_page.py')
    fp = importlib.util.module_from_spec(spec); spec.loader.exec_module(fp)
    from spectroscopynet.data import OXIDES
    from spectroscopynet.figures import FIGURE_FILES
    run = tmp_path/'cpu_run'; (run/'calibration').mkdir(parents=True); (run/'figures').mkdir()
    rows = [dict(representation=r, regressor=g, oxide=o, rmse=1.0 + i + (0.5 if g == 'ridge' else 0), lo=0.5 + i, hi=1.5 + i)
            for i, r in enumerate(['raw', 'chemcam', 'learned']) for g in ['sgd', 'ridge'] for o in OXIDES]
    pd.DataFrame(rows).to_csv(run/'calibration'/'rmse.csv', index=False)
    pd.Series({'raw': 1.06, 'chemcam': 0.2, 'learned': 0.31}, name='signal recovery error').to_csv(run/'calibration'/'signal_recovery.csv')
    (run/'report.md').write_text("# SpectroscopyNet reproduction: simulated campaign 'small' seed 0, cpu config\n\n"
                                 "**SIMULATED DATA**: ...\n\n- data: `data`\n- scale: `cpu`, seed 0\n")
    (run/'figures'/FIGURE_FILES[6]).write_bytes(_png_bytes())
    md = fp.front_page_markdown(run)
    assert f'spectroscopynet reproduce --scale cpu --out {run.as_posix()}\n' in md  # seed 0 is the default: not shown
    assert 'not tested by a paired bootstrap' in md  # no paired.csv in this run
    pd.DataFrame([dict(regressor='sgd', representation='learned', reference=ref, oxide=o, diff=-0.5, lo=-0.8, hi=-0.1)
                  for ref in ('raw', 'chemcam') for o in OXIDES]).to_csv(run/'calibration'/'paired.csv', index=False)
    assert 'the paired bootstrap interval of the difference excludes 0 on 8' in fp.front_page_markdown(run)
    assert "simulated campaign 'small' seed 0, cpu config; simulated data" in md
    assert '| SiO2 | 1.00 [0.50, 1.50] | 2.00 [1.50, 2.50] | 3.00 [2.50, 3.50] |' in md, md  # the sgd rows, not ridge
    _img = f'cpu_run/figures/{FIGURE_FILES[6]}'  # at the PNG's natural width (400 px here): the page scrolls it, labels stay readable
    assert f'<a href="{_img}"><img src="{_img}" alt="Fig. 6 of that run" style="min-width: 400px"></a>' in md
    assert 'no `heldout/` folder' in md and 'learned 0.310' not in md  # the all-targets recovery line is gone
    from spectroscopynet.baselines import HeldoutRecovery
    from spectroscopynet.figures import write_heldout
    errors = pd.DataFrame([dict(view=v, method=m, **{'relative L2': e, 'scale-free': e, 'L2 lines': e, 'L2 rest': e})
                           for v in ('single shots', 'location averages') for m, e in (('raw', .65), ('learned', .3), ('oracle', .06))])
    paired = pd.DataFrame([dict(view=v, metric=k, method='raw', diff=-.35, lo=-.44, hi=-.27, n_groups=24)
                           for v in ('single shots', 'location averages') for k in ('relative L2', 'scale-free')])
    info = dict(campaign='data', run='train', test_fraction=0.2, split_seed=0, heldout_targets=['a', 'b'], n_targets=10,
                n_heldout_shots=60, drop_first=5, n_boot=2000, seed=0, truth=True, n_shots=3, n_locations=2)
    write_heldout(HeldoutRecovery(errors, paired, pd.DataFrame(dict(view=['single shots'], target=['a'], location=[1], shots=['3'])), info), run/'heldout')
    md = fp.front_page_markdown(run)
    assert md.index('**Held-out signal recovery**') < md.index('| single shots: relative L2 |') < md.index('**Calibration RMSE**')
    assert '| learned | 0.300 | 0.300 | 0.300 / 0.300 |' in md and '-0.350 [-0.440, -0.270]*' in md and '`learned` is ahead of `raw`' in md
    images = tmp_path/'nbs'/'images'
    with contextlib.redirect_stdout(io.StringIO()) as out: fp.main([str(run), '--images', str(images)])
    assert (images/f'front_{FIGURE_FILES[6]}').read_bytes() == _png_bytes() and '| mean |' in out.getvalue()

def _png_bytes(): return base64.b64decode(_figure_png())

PRESET_CLAIM = re.compile(r'\b(paper|cpu|tiny)\b(?=[^\n]{0,150}?\b(?:D\s*=\s*|depth\s*=?\s*|width\s*=?\s*)\d)')
SIZE_CLAIM = re.compile(r'\b(D|depth|width)\s*=?\s*(\d+)\b')

def preset_claims(text:str):
    "[(preset, field, number)]: each `D = n` / `depth n` / `width n` with the nearest preset named before it in the text"
    out = []
    for m in SIZE_CLAIM.finditer(text):
        before = [p for p in re.finditer(r'\b(paper|cpu|tiny)\b', text[max(0, m.start()-150):m.start()])]
        if before and '\n\n' not in text[max(0, m.start()-150)+before[-1].start():m.start()]:
            out.append((before[-1].group(1), 'depth' if m.group(1) == 'D' else m.group(1), int(m.group(2))))
    return out

def _texts(nb):
    for c in nb['cells']:
        if c['cell_type'] == 'markdown': yield ''.join(c['source'])
        for o in c.get('outputs', []):
            for t in [o.get('text', '')] + [v for k, v in o.get('data', {}).items() if k in ('text/plain', 'text/markdown')]:
                yield ''.join(t) if isinstance(t, list) else t

def test_preset_claims_parse():
    test = "not the paper's D = 18, width 64; the cpu preset (D = 6)\n\nwidth 3"
    assert preset_claims(test) == [('paper', 'depth', 18), ('paper', 'width', 64), ('cpu', 'depth', 6)]

@pytest.mark.fresh  # saved outputs print the presets: like the test above, it passes once every notebook is re-executed
@pytest.mark.parametrize('nb', docs.notebooks(), ids=lambda p: p.stem)
def test_sizes_named_with_a_preset_match_it(nb):
    "Prose or an output that gives a preset's network size (`the paper's D = 18`, `cpu ... width 16`) agrees with ModelConfig"
    from spectroscopynet.model import ModelConfig
    wrong = [f"{p}: {f} = {n}, but ModelConfig.{p}() has {getattr(getattr(ModelConfig, p)(), f)}"
             for text in _texts(json.loads(nb.read_text(encoding='utf-8'))) for p, f, n in preset_claims(text)
             if getattr(getattr(ModelConfig, p)(), f) != n]
    assert not wrong, f"{nb.name}: " + '; '.join(wrong)

def test_readme_renders_markdown_outputs(tmp_path):
    "tools/make_readme.py: a `display(Markdown(...))` output of the index (the front page's run block) becomes markdown"
    spec = importlib.util.spec_from_file_location('spectroscopynet_make_readme', ROOT/'tools'/'make_readme.py')
    mr = importlib.util.module_from_spec(spec); spec.loader.exec_module(mr)
    nb = dict(cells=[dict(cell_type='markdown', source=['# t\n', '> s']),
                     dict(cell_type='code', source=['#| echo: false\n', 'display(Markdown(x))'], outputs=[dict(
                         output_type='display_data', data={'text/markdown': ['| a |\n', '| --- |\n', '![f](images/f.png)\n'],
                                                           'text/plain': ['<IPython.core.display.Markdown object>']})])])
    (tmp_path/'nbs').mkdir(); (tmp_path/'nbs'/'index.ipynb').write_text(json.dumps(nb))
    text = mr.readme_from_index(tmp_path/'nbs'/'index.ipynb')
    assert '| a |\n| --- |\n![f](nbs/images/f.png)' in text and 'Markdown object' not in text and 'display(' not in text
