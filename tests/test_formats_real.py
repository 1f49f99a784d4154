"""Issue #21 on the real raw files of ../shared/data/real (CSA BHVO-2, soils, JSC PyHAT, JSC Ocean Optics): every file
reads with its format detected from the content, on its own grid and segments, with units, negatives and saturation;
`inspect` summarises every file and folder; `clean` writes every file back in its own format with every method (and a
model trained on the soils campaign); folders become campaigns; a wrong-format file exits 2 with an actionable message.

Skips (with the reason) when the real data folder is absent. Folders are copied to tmp before they are loaded as
campaigns, so no cache is ever written into the shared data."""
import io, shutil, subprocess, sys, warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
import numpy as np
import pytest
from spectroscopynet.formats import read_spectra, read_provenance, ACCEPTED_FORMATS, FE2O3_TO_FEO
from spectroscopynet.data import load_campaign, real_data_missing, real_data_dir
from spectroscopynet.clean import clean_paths, Cleaner
from spectroscopynet.baselines import BASELINES
from spectroscopynet.cli import main

FOLDERS = ('csa_bhvo2_raw', 'soils_raw_171', 'jsc_basalts_raw', 'jsc_oceanoptics_raw')
REASON = real_data_missing(*FOLDERS)
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or '')
R = real_data_dir() if REASON is None else Path('.')

# file -> (format, spectra shape, segments (start, stop), clipped values)
EXPECTED = {
    'csa_bhvo2_raw/csa_bhvo2_1000pulse_spectrum.csv': ('table', (1, 13490), [(0, 13490)], 0),
    'csa_bhvo2_raw/csa_bhvo2_200pulse_spectrum.csv': ('table', (1, 13490), [(0, 13490)], 0),
    'soils_raw_171/libs_spec_soils.csv.gz': ('wide', (171, 6669), [(0, 6243), (6243, 6432), (6432, 6570), (6570, 6669)], 34),
    'jsc_basalts_raw/example_data.csv': ('pyhat', (3, 6133), [(0, 2048), (2048, 4096), (4096, 6133)], 0),
    'jsc_oceanoptics_raw/TestBasalt_UV_01.txt': ('oceanoptics', (10, 6144), [(0, 2048), (2048, 4096), (4096, 6144)], 0),
    'jsc_oceanoptics_raw/TestBasalt_VIS_01.txt': ('oceanoptics', (10, 6144), [(0, 2048), (2048, 4096), (4096, 6144)], 0),
    'jsc_oceanoptics_raw/TestBasalt_NIR_01.txt': ('oceanoptics', (10, 6144), [(0, 2048), (2048, 4096), (4096, 6144)], 0),
}

def _main(*args) -> tuple:
    "Exit status, stdout and stderr of `spectroscopynet ARGS`, in this process"
    with redirect_stdout(io.StringIO()) as out, redirect_stderr(io.StringIO()) as err:
        try: main([*map(str, args)]); code = 0
        except SystemExit as e: code = e.code
    return code, out.getvalue(), err.getvalue()

@pytest.mark.parametrize('name', sorted(EXPECTED))
def test_read_every_file(name):
    fmt, shape, segments, n_clipped = EXPECTED[name]
    s = read_spectra(R/name)
    assert (s.format, s.spectra.shape, [(a, b) for _, a, b in s.grid.segments]) == (fmt, shape, segments)
    assert np.isfinite(s.spectra).all() and s.units.startswith('counts')  # all four are raw detector counts
    assert (0 if s.clipped is None else int(s.clipped.sum())) == n_clipped
    if n_clipped: assert (s.spectra[s.clipped] == 65535).all()  # the soils' 16-bit saturation level

def test_oceanoptics_acquisition_and_jsc_compositions():
    uv, nir = read_spectra(R/'jsc_oceanoptics_raw/TestBasalt_UV_01.txt'), read_spectra(R/'jsc_oceanoptics_raw/TestBasalt_NIR_01.txt')
    assert uv.grid.segment_names == ['UV', 'VIS', 'NIR'] and (uv.spectra == nir.spectra).all()  # any file: the acquisition
    assert [p.name for p in uv.paths] == ['TestBasalt_UV_01.txt', 'TestBasalt_VIS_01.txt', 'TestBasalt_NIR_01.txt']
    assert uv.rows['unix_ms'].iloc[0] == '1447427674643'
    jsc = read_spectra(R/'jsc_basalts_raw/example_data.csv')
    assert jsc.names[0] == 'CP-5, Basalt / AREF019'
    np.testing.assert_allclose(jsc.compositions['FeOT'], FE2O3_TO_FEO * jsc.compositions['Fe2O3T'])
    assert jsc.compositions['SiO2'].tolist() == [54.06, 47.24, 44.88]

@pytest.mark.parametrize('name', [*sorted(EXPECTED)[:1], 'soils_raw_171/libs_spec_soils.csv.gz', 'jsc_basalts_raw/example_data.csv',
                                  'jsc_oceanoptics_raw/TestBasalt_VIS_01.txt'])
def test_inspect_every_format(name):
    code, out, err = _main('inspect', R/name)
    assert code == 0, err
    for line in ('segments (', 'units: counts', 'negative values: ', 'clipped (saturated) values: '): assert line in out, out
    if 'soils' in name: assert 'clipped (saturated) values: 34 in 24 of 171 spectra, 4 channels (level 65535)' in out

@pytest.fixture(scope='module')
def copies(tmp_path_factory):
    "The four folders copied to tmp (campaign caches go there, never into the shared data)"
    root = tmp_path_factory.mktemp('real')
    for f in FOLDERS: shutil.copytree(R/f, root/f)
    return root

def test_campaigns(copies):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # targets without composition
        soils = load_campaign(copies/'soils_raw_171')
        jsc = load_campaign(copies/'jsc_basalts_raw')
        oo = load_campaign(copies/'jsc_oceanoptics_raw')
        csa = load_campaign(copies/'csa_bhvo2_raw', compositions=R/'cflibs_chemcam_bhvo2'/'bhvo2_composition.csv', cache=False)
    assert (len(soils), soils.n_targets, int(soils.clipped.sum()), soils.target[0]) == (171, 171, 34, 'soil_001')
    assert load_campaign(copies/'soils_raw_171').clipped.sum() == 34  # from the cache
    assert (jsc.n_targets, sorted(jsc.compositions.index)) == (3, sorted(jsc.target)) and not jsc.targets_without_composition
    assert (len(oo), oo.n_targets, oo.shot.tolist()) == (10, 1, list(range(1, 11)))
    assert csa.target.tolist() == ['bhvo2', 'bhvo2'] and csa.location.tolist() == [1, 2]  # the name token matched the table
    assert csa.compositions.loc['bhvo2', 'FeOT'] == 11.07
    code, out, err = _main('inspect', copies/'soils_raw_171', '--no_cache')
    assert code == 0 and 'segments (4)' in out and 'clipped (saturated) values: 34 in 24 spectra' in out, err

INPUTS = ['csa_bhvo2_raw/csa_bhvo2_1000pulse_spectrum.csv', 'soils_raw_171/libs_spec_soils.csv.gz',
          'jsc_basalts_raw/example_data.csv', 'jsc_oceanoptics_raw']

def _check_output(src:Path, out:Path, method:str):
    "The cleaned file(s) are in the input's format, same names and shape, with provenance and the saturation flags"
    files = sorted(src.glob('*.txt')) if src.is_dir() else [src]
    for f in files:
        a, b = read_spectra(f), read_spectra(out/f.name)
        assert (b.format, b.names, b.spectra.shape) == (a.format, a.names, a.spectra.shape)
        assert np.isfinite(b.spectra).all() and read_provenance(out/f.name)['CLEAN_METHOD'] == method
        assert (a.clipped is None and b.clipped is None) or (a.clipped == b.clipped).all()  # CLIPPED field read back
        np.testing.assert_allclose(b.wavelengths, a.wavelengths)

@pytest.mark.slow
@pytest.mark.parametrize('method', sorted(BASELINES))
def test_clean_every_method_every_file(method, tmp_path):
    for name in INPUTS:
        out = tmp_path/Path(name).name
        rep = clean_paths([R/name], out, method=method)
        assert not rep.failed and rep.written, str(rep)
        _check_output(R/name, out, method)
    if method == 'none':  # the identity writes the values back (8 significant digits)
        s, b = read_spectra(R/INPUTS[1]), read_spectra(tmp_path/'libs_spec_soils.csv.gz'/'libs_spec_soils.csv.gz')
        np.testing.assert_allclose(b.spectra, s.spectra, rtol=1e-6)

@pytest.mark.slow
def test_train_on_soils_then_clean_every_file_with_the_model(copies, tmp_path):
    "A siamese run (any input length) cleans every file; the default pipeline run cleans its own grid and refuses others"
    code, out, err = _main('train', '--data', copies/'soils_raw_171', '--config', 'tiny', '--out', tmp_path/'run', '--quiet',
                           'objective=siamese')
    assert code == 0, err
    for name in INPUTS:
        o = tmp_path/('learned_' + Path(name).name)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')  # another grid than the model's: an out-of-range warning, as documented
            rep = clean_paths([R/name], o, model=tmp_path/'run', noise=True)
        assert not rep.failed, str(rep)
        _check_output(R/name, o, 'learned')
    assert (tmp_path/'learned_libs_spec_soils.csv.gz'/'libs_spec_soils_noise.csv.gz').is_file()
    code, out, err = _main('train', '--data', copies/'soils_raw_171', '--config', 'tiny', '--out', tmp_path/'pipe', '--quiet')
    assert code == 0, err
    soils = [n for n in INPUTS if 'soils' in str(n)]
    rep = clean_paths([R/n for n in soils], tmp_path/'pipe_soils', model=tmp_path/'pipe')
    assert not rep.failed and rep.n_spectra == 171, str(rep)
    other = [n for n in INPUTS if 'csa' in str(n)][0]
    rep = clean_paths([R/other], tmp_path/'pipe_csa', model=tmp_path/'pipe')
    assert len(rep.failed) == 1 and str(R/other) in rep.failed[0][1] and 'expected 6669' in rep.failed[0][1], str(rep)

@pytest.mark.slow
def test_the_issue_command_and_a_wrong_format_file(tmp_path):
    "The exact command of issue #21 (a new process, as a user runs it), and a file of no accepted format"
    shutil.copy(R/'csa_bhvo2_raw'/'csa_bhvo2_1000pulse_spectrum.csv', tmp_path)
    (tmp_path/'notes.csv').write_text('sample,comment,operator\nbhvo2,first try,ab\n')
    cmd = [sys.executable, '-c', 'from spectroscopynet.cli import main; main()', 'clean']
    r = subprocess.run(cmd + ['csa_bhvo2_1000pulse_spectrum.csv', '--method', 'chemcam', '--out', 'cleaned'],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0 and 'cleaned 1 file(s), 1 spectra' in r.stdout, r.stderr
    assert read_spectra(tmp_path/'cleaned'/'csa_bhvo2_1000pulse_spectrum.csv').spectra.shape == (1, 13490)
    r = subprocess.run(cmd + ['notes.csv', '--method', 'chemcam', '--out', 'cleaned2'], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and 'Traceback' not in r.stderr
    assert ("notes.csv: line 1: not a spectrum file of a known format: found a header row with 3 text column(s) ('sample', "
            "'comment', 'operator') and no numeric wavelength axis") in r.stderr, r.stderr
    assert all(f"{k} (" in r.stderr for k in ACCEPTED_FORMATS)
