"""Dictionary pass: gazetteer of Vietnamese places and names, fuzzy repair with rapidfuzz.

`load_gazetteer(user_dicts)` returns the process-wide `Gazetteer`; the Pipeline calls
`fix_names(gazetteer, input_lines, restored_lines)` after restoration, `fix_formulas`
(the national title and motto of an administrative header), then `remember_names` over
the whole document.
"""

from vnocr.lexicon.formulas import fix_formulas
from vnocr.lexicon.gazetteer import Gazetteer, load_gazetteer
from vnocr.lexicon.line_pass import fix_names
from vnocr.lexicon.name_memory import remember_names
from vnocr.lexicon.scoring import Match
from vnocr.lexicon.sources import Name, default_user_dict, read_user_dict, shipped_names

__all__ = [
    "Gazetteer",
    "Match",
    "Name",
    "default_user_dict",
    "fix_formulas",
    "fix_names",
    "load_gazetteer",
    "read_user_dict",
    "remember_names",
    "shipped_names",
]
