"""Write README.md from nbs/index.ipynb without Quarto: markdown cells as they are, visible code cells as code.

nbdev's own `nbdev_readme` needs Quarto, which cannot be installed on the build machines here; this is the same
transformation for the simple cells an index notebook holds (cells marked `#| hide` or `#| include: false` are left
out, `#| echo: false` shows only the output, a markdown output (`display(Markdown(...))`) is rendered as markdown; markdown images, relative to nbs/ as the site has them, get the
`nbs/` prefix they need from the repository root); `python tools/docs.py` runs it after rendering the site."""
import json, re, sys
from pathlib import Path

def _directives(src): return [l for l in src.splitlines() if l.startswith('#|')]

def _images_from_root(md, nbs):
    "Markdown images are relative to nbs/ (as the site renders them); README.md sits one folder up"
    def fix(m):
        url = m.group(2)
        if re.match(r'^([a-z][\w+.-]*:|/|#)', url): return m.group(0)
        return f"![{m.group(1)}]({Path(nbs).name}/{url})"
    md = re.sub(r'!\[([^\]]*)\]\(([^)\s]+)\)', fix, md)
    def fix_html(m):  # <img src="..."> and <a href="..."> of an image, as the index uses for a full-size figure
        url = m.group(2)
        return m.group(0) if re.match(r'^([a-z][\w+.-]*:|/|#)', url) else f'{m.group(1)}="{Path(nbs).name}/{url}"'
    return re.sub(r'\b(src|href)="([^"]+\.(?:png|jpg|jpeg|svg))"', fix_html, md)

def readme_from_index(nb_path='nbs/index.ipynb'):
    "The README text made from the cells of `nb_path`"
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = []
    for c in nb['cells']:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown':
            src = re.sub(r'^# (.+)\n> (.+)$', r'# \1\n\n> \2', src, flags=re.M)
            parts.append(_images_from_root(src, Path(nb_path).parent))
        elif c['cell_type'] == 'code' and not any(re.match(r'#\|\s*(hide|include:\s*false)', d) for d in _directives(src)):
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|'))
            if not any(re.match(r'#\|\s*echo:\s*false', d) for d in _directives(src)): parts.append(f"``` python\n{code}\n```")
            for o in c.get('outputs', []):
                md = o.get('data', {}).get('text/markdown')  # `display(Markdown(...))`: the markdown itself, as the site shows it
                if md: parts.append(_images_from_root(''.join(md).strip('\n'), Path(nb_path).parent)); continue
                txt = o.get('text') or o.get('data', {}).get('text/plain')
                if txt: parts.append("    " + ''.join(txt).replace('\n', '\n    '))
    return '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    out = root/'README.md'
    tmp = out.with_suffix('.md.tmp')
    tmp.write_text('<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n'
                   + readme_from_index(root/'nbs'/'index.ipynb'), encoding='utf-8')
    tmp.replace(out)
    print(f"wrote {out.name}")
