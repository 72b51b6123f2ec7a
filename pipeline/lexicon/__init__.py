"""Dictionary pass: gazetteer of Vietnamese places and names, fuzzy repair with rapidfuzz.

`load_gazetteer(user_dicts)` returns the process-wide `Gazetteer`; the Pipeline calls
`gaz.fix_lines(input_lines, restored_lines)` after restoration.
"""

from vnocr.lexicon.gazetteer import Gazetteer, Match, load_gazetteer
from vnocr.lexicon.sources import Name, default_user_dict, key_of, read_user_dict, shipped_names

__all__ = [
    "Gazetteer",
    "Match",
    "Name",
    "default_user_dict",
    "key_of",
    "load_gazetteer",
    "read_user_dict",
    "shipped_names",
]
