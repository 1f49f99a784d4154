"""Any wavelength grid (issue #21): the ChemCam grid is one named grid; the real raw axes split into their segments."""
import gzip
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
from spectroscopynet.data import (SpectralGrid, chemcam_grid, chemcam_wavelengths, chemcam_mask, grid_from_wavelengths,
                                  grid_of, SPECTROMETER_SLICES, N_CHANNELS, real_data_missing, real_data_dir)

def real_dir() -> Path:
    "The shared real data folder (see `data.real_data_dir`), or skip with the reason"
    reason = real_data_missing('jsc_basalts_raw', 'soils_raw_171', 'csa_bhvo2_raw', 'jsc_oceanoptics_raw')
    if reason: pytest.skip(reason)
    return real_data_dir()

def test_chemcam_grid():
    g = chemcam_grid()
    assert g.name == 'chemcam' and g.segment_names == ['UV', 'VIO', 'VNIR'] and g.n_channels == N_CHANNELS
    assert g.segment_slices() == SPECTROMETER_SLICES
    assert (g.kept_mask() == chemcam_mask(chemcam_wavelengths())).all() and g.kept_mask().sum() == 5485
    assert grid_of(chemcam_wavelengths()) is g

def _segments(w):
    g = grid_of(w)
    return [(a, b) for _, a, b in g.segments]

def test_jsc_pyhat_axis_three_segments():
    cols = pd.read_csv(real_dir()/'jsc_basalts_raw'/'example_data.csv', header=[0, 1], nrows=0).columns
    w = np.array([float(b) for a, b in cols if a == 'wvl'])
    assert _segments(w) == [(0, 2048), (2048, 4096), (4096, 6133)]
    assert grid_of(w).kept is None and grid_of(w).name == ''

def test_soils_axis_gap_and_overlap_segments():
    with gzip.open(real_dir()/'soils_raw_171'/'libs_spec_soils.csv.gz', 'rt') as f: head = f.readline()
    w = np.array(head.strip().split(',')[1:], float)
    # a detector overlap (766.15 -> 765.72 nm) and two gaps (781.5 -> 789.2, 800.7 -> 813.9 nm)
    assert _segments(w) == [(0, 6243), (6243, 6432), (6432, 6570), (6570, 6669)]

def test_csa_echelle_axis_one_segment():
    w = pd.read_csv(real_dir()/'csa_bhvo2_raw'/'csa_bhvo2_1000pulse_spectrum.csv')['wavelength'].to_numpy()
    assert len(w) == 13490 and _segments(w) == [(0, 13490)]  # jumps of 0.3-1.2 nm stay inside (MIN_GAP_NM)

def test_oceanoptics_three_files_three_segments():
    axes = []
    for band in ('UV', 'VIS', 'NIR'):
        text = (real_dir()/'jsc_oceanoptics_raw'/f'TestBasalt_{band}_01.txt').read_bytes().replace(b'\r\n', b'\n').replace(b'\r', b'\n')
        lines = text.split(b'\n'); i = next(i for i, l in enumerate(lines) if l.startswith(b'>>>>>Begin'))
        axes.append(np.array(lines[i + 1].split(b'\t')[2:], float))
    w = np.concatenate(axes)
    assert [len(a) for a in axes] == [2048] * 3 and _segments(w) == [(0, 2048), (2048, 4096), (4096, 6144)]
    g = grid_from_wavelengths(w, [('UV', 0, 2048), ('VIS', 2048, 4096), ('NIR', 4096, 6144)], name='oceanoptics')
    assert g.segment_names == ['UV', 'VIS', 'NIR'] and not (g.wavelengths is w)

def test_grid_is_immutable_and_checked():
    g = grid_from_wavelengths(np.arange(100.0, 200.0))
    with pytest.raises(ValueError): g.wavelengths[0] = 0
    with pytest.raises(Exception, match='covering channels'): SpectralGrid(np.arange(5.0), (('a', 0, 4),))
