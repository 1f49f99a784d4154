"""The docs site builds offline from the outputs saved in the notebooks, and a real browser shows it.

`python tools/docs.py --no-execute` renders into a temporary folder (the repository is not touched); headless
Chromium, over a local http server on 127.0.0.1 (the site's search fetches `search.json`, which `file://` forbids),
takes a screenshot of the index and of one chapter page (the first one with a figure) and dumps each page's DOM after a
small probe script has checked every <img> and typed into the search box. A test fails when a page is blank, its CSS
did not load, a figure is missing or broken, a chapter has no page, or search finds nothing. A second test renders a
one-figure notebook through the same pipeline and checks that the figure is visible in the screenshot.

Needs Debian's `chromium` (CI installs it); without it the browser tests skip, unless SPECTROSCOPYNET_REQUIRE_BROWSER=1
(as in .ci/run), where they fail. Set SPECTROSCOPYNET_SHOTS=<folder> to keep the screenshots for a look."""
import base64, functools, importlib.util, io, json, os, re, shutil, subprocess, sys, threading
from http.server import ThreadingHTTPServer, SimpleHTTPRequestHandler
from pathlib import Path
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((shutil.which(c) for c in ('chromium', 'chromium-browser', 'google-chrome') if shutil.which(c)), None)
FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--hide-scrollbars']

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

PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = [...document.images];
  const res = {n_img: imgs.length, bad_img: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))};
  const input = document.querySelector('.smalldocs-search input, #quarto-search input, input[type=search]');
  res.search_box = !!input;
  if (input) { input.value = %s; input.dispatchEvent(new Event('input')); input.dispatchEvent(new Event('focus')); }
  setTimeout(() => {
    res.search_hits = document.querySelectorAll('.search-result, .aa-Item').length;
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
def test_index_and_a_chapter_in_a_browser(site, tmp_path):
    need_browser()
    site_dir, url, _ = site
    chapter = chapter_with_figure(site_dir)
    for page in ['index.html', chapter]:
        html = (site_dir/page).read_text(encoding='utf-8')
        assert_images_ok(html, page, site_dir)
        assert_not_blank(screenshot(f'{url}/{page}', tmp_path/f'site_{Path(page).stem}.png', tmp_path))
        found = probe(site_dir, url, page, tmp_path)
        assert found['n_img'] == html.count('<img'), (page, found)
        assert not found['bad_img'], f"{page}: figures that did not load: {found['bad_img']}"
        assert found['search_box'] and found['search_hits'] > 0, f"{page}: search found nothing for 'scale': {found}"

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
