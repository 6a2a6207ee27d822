"""The target figures of the synthetic Guangxi and where each comes from (private).

Every figure marked *seed* is from the seed article on Guangxi (early 2021), as summarised in
DOMAIN.md §1 and §7; every other figure is a **synthetic choice** made here so that the data
look plausible, and is documented as such in ``docs/synthetic-data.md``. None of them is a
legal figure.
"""

from __future__ import annotations

import datetime as dt

PROVINCE = "45"  # 广西壮族自治区

# --- the service network -------------------------------------------------------------------

REQUIRED_UNITS = 17_624
"""Seed: centres and stations that must exist (应建), 1 + 14 + 111 + townships + villages."""

FIXED_VILLAGES = {"450312": 172, "450802": 124}
"""Seed: village-level stations of 临桂区 (1 + 11 + 172 = 184) and 港北区 (1 + 8 + 124 = 133)."""

OFFICE_AREA_M2 = 196_000
"""Seed: 19.6万 m² of office space over the whole network."""

# Synthetic: office area in tenths of m² (low, high), uniform, per level 1-5 and extensions.
# The means (1,800; 600; 260; 45; 6.15; 50) give about 196,000 m² for the full network.
AREA_TENTHS = {
    1: (17_000, 19_000),
    2: (4_000, 8_000),
    3: (1_600, 3_600),
    4: (250, 650),
    5: (30, 93),
}
EXTENSION_AREA_TENTHS = (300, 700)
STAFF = {1: (40, 50), 2: (10, 18), 3: (5, 10), 4: (2, 5), 5: (1, 2)}
EXTENSION_STAFF = (1, 3)

# Synthetic: stations were set up between these dates (the ministry dates from 2018).
ESTABLISHED_FROM = dt.date(2018, 10, 1)
ESTABLISHED_BY = dt.date(2019, 12, 31)

# --- people ---------------------------------------------------------------------------------

KEY_SHARE = 0.18
"""Seed: ~1,800 重点优抚对象 among ~10,000 优抚对象 in 临桂区."""

# --- plaques --------------------------------------------------------------------------------

PLAQUES_HUNG_PER_MILLION = 1_006_900
"""Seed: 100.69万 households with a glory plaque for close to 1,000,000 persons."""

PLAQUE_POLICY = dt.date(2018, 7, 29)
"""国办发〔2018〕72号, 2018-07-29 (DOMAIN.md §5): no plaque is hung before it."""

TO_HANG_SHARE = 0.015  # synthetic: eligible households still waiting for their plaque
RECOVER_SHARE = 0.001  # synthetic: households whose plaque must be taken back

# --- hardship assistance ---------------------------------------------------------------------

ASSISTED_PER_MILLION = 5_100
"""Seed: 5,100+ veterans helped in 2020."""

ASSISTANCE_FEN_PER_PERSON = 1_749
"""Seed: 1,749万元 in 2020 for about 1,000,000 persons = 17.49 yuan = 1,749 fen per person."""

EARLIEST_ACTIVITY_YEAR = 2019
