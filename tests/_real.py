"""Skip helpers for tests that read the real data files (kept out of the repository; see the Data chapter).

The real data folder is $SPECTROSCOPYNET_REAL_DATA, else `shared/data/real` beside the repository (CI has it there).
`needs_real_data(*files)` is a pytest mark that skips a test when the folder (or one of `files`, relative to it) is
missing, with a reason that says where to put the data; `real_files(*files)` returns their paths or skips."""
import pytest
from spectroscopynet.data import real_data_missing, real_data_dir

def needs_real_data(*files:str):
    "Mark: skip unless the real data folder and each of `files` (relative to it) exist"
    reason = real_data_missing(*files)
    return pytest.mark.skipif(reason is not None, reason=reason or '')

def real_files(*files:str):
    "Paths of `files` in the real data folder; skips the calling test (with the reason) when any is missing"
    reason = real_data_missing(*files)
    if reason: pytest.skip(reason)
    root = real_data_dir()
    return [root/f for f in files]

# the ChemCam files that the Data, Baselines and Clean chapters read (relative to the real data folder)
MARS_CCS = 'plio_chemcam_ccs/CL5_398645626CCS_F0030004CCAM02013P3.csv'
BHVO2_TABLES = tuple(f'cflibs_chemcam_bhvo2/chemcam_bhvo2_loc{i}_spectrum.csv' for i in range(1, 5))
COMPOSITIONS = 'thesis_chemcam_compositions/ccam_calibration_compositions_with_split.csv'
CHEMCAM_FILES = (MARS_CCS, *BHVO2_TABLES, COMPOSITIONS)
