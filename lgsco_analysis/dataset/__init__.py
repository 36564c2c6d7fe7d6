"""The dataset: a folder of letters parsed (in worker processes, with a cache) into the tidy
tables, written whole as one set, loaded back; each authority's comparison group.

Imports ``read`` and ``rules``.
"""

from .groups import UNMATCHED_GROUP, match_authorities
from .store import FolderBusy, MixedTables
from .tables import OUTPUT_FILES, Dataset, data_sha256, letters_to_dataset, load, parse_folder, write_dataset

__all__ = [
    "OUTPUT_FILES",
    "UNMATCHED_GROUP",
    "Dataset",
    "FolderBusy",
    "MixedTables",
    "data_sha256",
    "letters_to_dataset",
    "load",
    "match_authorities",
    "parse_folder",
    "write_dataset",
]
