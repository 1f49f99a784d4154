"""The emission-basis asset shipped with the package matches a fresh libskit computation."""
import numpy as np
from spectroscopynet.simulate import load_emission_basis, build_emission_basis, BASIS_FILE
from spectroscopynet.data import chemcam_wavelengths

def test_asset_is_small_and_on_the_chemcam_grid():
    assert BASIS_FILE.stat().st_size < 3e6
    b = load_emission_basis()
    assert np.allclose(b.wavelengths, chemcam_wavelengths(), atol=1e-4)
    assert b.lines.shape == (len(b.elements), len(b.T_K), len(b.ne_m3), 6144)

def test_asset_matches_libskit_rebuild():
    b = load_emission_basis()
    fresh = build_emission_basis(b.wavelengths, T_K=(b.T_K[1],), ne_m3=(b.ne_m3[1],), elements=['Ca', 'Na'])
    for k, el in enumerate(['Ca', 'Na']):
        stored = b.lines[b.elements.index(el), 1, 1]
        assert np.abs(stored - fresh.lines[k, 0, 0]).max() < 1e-3*np.abs(fresh.lines[k, 0, 0]).max()
        np.testing.assert_allclose(b.zbar[b.elements.index(el), 1, 1], fresh.zbar[k, 0, 0], rtol=1e-9)
