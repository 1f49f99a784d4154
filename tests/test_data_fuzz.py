"""Fuzz the data readers: random bytes and mangled real files must give a result or `SpectraFormatError`, nothing else,
and what the user sees must help: the message starts with the file's path and names the field (a line, a column, the
header, the data rows), and `spectroscopynet inspect` on the same input exits with status 2 and prints that message
(or exits 0 when a reader accepted the file), for every generated case.

Runs in well under 30 s: ~100 random inputs, ~100 mangled small real-format files, a few mangled full real files; the
command line is called in-process (`spectroscopynet.cli.main`), which is much faster than a new process per case."""
import io, re, tempfile, warnings, functools
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from spectroscopynet.data import (SpectraFormatError, read_ccs_csv, read_spectrum_table, read_compositions,
                                  load_campaign, write_ccs_csv, REAL_MARS_CCS, REAL_BHVO2_SPECTRA, REAL_COMPOSITIONS)
from spectroscopynet.formats import read_spectra
from spectroscopynet.cli import main
from _real import needs_real_data, CHEMCAM_FILES

READERS = [read_ccs_csv, read_spectrum_table, read_compositions, read_spectra]
TMP = Path(tempfile.mkdtemp(prefix='spectroscopynet_fuzz_'))

def _small_ccs() -> bytes:
    "A real-format CCS file with 3 of the real Mars shots (fast to parse)"
    s = read_ccs_csv(REAL_MARS_CCS)
    return write_ccs_csv(TMP/'small_ccs.csv', s.wavelengths, s.shots[:3], s.metadata).read_bytes()

_W = np.round(np.linspace(200, 300, 40), 3)
# the other accepted formats (chapter Formats), small and synthetic: tab columns, wide, PyHAT, Ocean Optics
OTHER_BASES = {'columns': ''.join(f'{w}\t{i}\n' for i, w in enumerate(_W)).encode(),
         'wide': ('sample,' + ','.join(map(str, _W)) + '\n' + ''.join(f's{r},' + ','.join(['65535'] * 40) + '\n' for r in range(3))).encode(),
         'pyhat': (',meta,comp,' + ','.join(['wvl'] * 40) + '\n,Sample,Fe2O3T,' + ','.join(map(str, _W)) + '\n' +
                   ''.join(f'{r},"x{r}, basalt",10,' + ','.join(['2'] * 40) + '\n' for r in range(2))).encode(),
         'oceanoptics': ('Spectrometer: HR+C0001\r\nNumber of Pixels in Spectrum: 40\r>>>>>Begin Spectral Data<<<<<\n\t\t' +
                         '\t'.join(map(str, _W)) + '\r\n' + ''.join(f'09:14:3{r}.6\t14474276{r}\t' + '\t'.join(['3.5'] * 40) + '\n'
                                                                for r in range(3))).encode()}
BASE_KINDS = ['ccs', 'compositions', 'table', *OTHER_BASES]

@functools.lru_cache(maxsize=1)
def bases() -> dict:
    "The valid files the fuzz mangles, made from the real files (read once, on first use) and the synthetic others"
    return {'ccs': _small_ccs(), 'table': REAL_BHVO2_SPECTRA[0].read_bytes(),
            'compositions': b'\n'.join(REAL_COMPOSITIONS.read_bytes().split(b'\n')[:30]), **OTHER_BASES}

needs_real = needs_real_data(*CHEMCAM_FILES)  # the mangled files start from real ones

FIELD = re.compile(r"\blines? \d+|\bcolumn '|\bheader\b|\bdata rows\b|\bempty file\b|\btarget rows\b")

def _names_file_and_field(message:str, *paths):
    "The message starts with one of `paths` and names where in that file the problem is"
    assert any(message.startswith(f"{p}: ") for p in paths), f"no file named: {message}"
    assert FIELD.search(message), f"no field named: {message}"

def _inspect(*args) -> tuple:
    "Exit status and stderr of `spectroscopynet inspect ARGS`, run in this process"
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as err:
        try: main(['inspect', *map(str, args)]); code = 0
        except SystemExit as e: code = e.code
    return code, err.getvalue()

def _check_cli(code:int, err:str, any_read:bool, *paths):
    "`inspect` exits 2 with a message naming a file and a field, or 0 (then some reader accepted the input)"
    assert code in (0, 2), f"exit {code}: {err}"
    if code == 0: assert any_read, "inspect accepted a file no reader accepts"
    else:
        assert err.startswith('spectroscopynet inspect: error: '), err
        _names_file_and_field(err.removeprefix('spectroscopynet inspect: error: '), *paths)

def _only_format_errors(data:bytes, readers=READERS):
    path = TMP/'fuzz.csv'
    path.write_bytes(data)
    ok = []
    for read in readers:
        try: read(path); ok.append(read)
        except SpectraFormatError as e: _names_file_and_field(str(e), path)
    _check_cli(*_inspect(path), bool(ok), path)

@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    _only_format_errors(data)

@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet='#=,.-+e0123456789 naif\n\t\r;', max_size=2000))
def test_csv_like_text(text):
    _only_format_errors(text.encode())

def _mangle(base:bytes, draw) -> bytes:
    "Apply 1-3 random edits: truncate, delete/insert/replace bytes, drop/duplicate/swap lines"
    for _ in range(draw(st.integers(1, 3))):
        n = len(base); i = draw(st.integers(0, max(n - 1, 0))); j = draw(st.integers(i, min(n, i + 200)))
        op = draw(st.sampled_from(['truncate', 'delete', 'insert', 'replace', 'line_drop', 'line_dup', 'line_swap']))
        junk = draw(st.binary(min_size=1, max_size=20) | st.sampled_from([b'nan', b'inf', b'-', b',', b'\n', b'#', b'e',
                                                                          b'1e999', b'', b'"', b' , ,']))
        lines = base.split(b'\n'); a = draw(st.integers(0, len(lines) - 1)); b = draw(st.integers(0, len(lines) - 1))
        if op == 'truncate': base = base[:i]
        elif op == 'delete': base = base[:i] + base[j:]
        elif op == 'insert': base = base[:i] + junk + base[i:]
        elif op == 'replace': base = base[:i] + junk + base[j:]
        else:
            if op == 'line_drop': del lines[a]
            elif op == 'line_dup': lines.insert(a, lines[b])
            else: lines[a], lines[b] = lines[b], lines[a]
            base = b'\n'.join(lines)
    return base

@needs_real
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(BASE_KINDS), st.data())
def test_mangled_real_files(kind, data):
    _only_format_errors(_mangle(bases()[kind], data.draw))

@needs_real
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mangled_full_mars_file(data):
    _only_format_errors(_mangle(REAL_MARS_CCS.read_bytes(), data.draw), [read_ccs_csv, read_spectra])

@needs_real
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mangled_campaign(data):
    "A campaign folder whose one CCS file and composition table are mangled: loads or raises SpectraFormatError"
    root = Path(tempfile.mkdtemp(dir=TMP))
    (root/'bhvo2').mkdir()
    (root/'bhvo2'/'2015_03_20_132000_ccs.csv').write_bytes(_mangle(bases()['ccs'], data.draw))
    (root/'ccam_calibration_compositions.csv').write_bytes(_mangle(bases()['compositions'], data.draw))
    files = (root/'bhvo2'/'2015_03_20_132000_ccs.csv', root/'ccam_calibration_compositions.csv')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "targets have no composition" when the table is mangled
        try: load_campaign(root, cache=False, workers=1); ok = True
        except SpectraFormatError as e: _names_file_and_field(str(e), *files); ok = False
    _check_cli(*_inspect(root, '--no_cache'), ok, *files)

@needs_real
def test_unmangled_bases_read():
    "The fuzz starts from valid files"
    bases()
    assert read_ccs_csv(TMP/'small_ccs.csv').n_shots == 3
    assert read_spectrum_table(REAL_BHVO2_SPECTRA[0]).spectra.shape == (1, 6144)
    (TMP/'comp.csv').write_bytes(bases()['compositions'])
    assert len(read_compositions(TMP/'comp.csv')) == 29

def test_unmangled_other_formats_read():
    "The bases of the other accepted formats read, with the format detected from the content"
    for kind, shape in [('columns', (1, 40)), ('wide', (3, 40)), ('pyhat', (2, 40)), ('oceanoptics', (3, 40))]:
        p = TMP/f'base_{kind}.dat'; p.write_bytes(OTHER_BASES[kind])
        s = read_spectra(p)
        assert (s.format, s.spectra.shape) == (kind, shape)
    assert read_spectra(TMP/'base_wide.dat').clipped.all()  # 65535 everywhere: saturated
