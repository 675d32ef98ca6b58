"""Build a small fetch_openml cache for OpenML 42468 from surrogate rows, for offline tests.

``fetch_openml(data_id=42468, data_home=D)`` reads, under ``D/openml/openml.org/``, four
gzip files named after the URL paths it would otherwise download (see sklearn's
``sklearn/datasets/_openml.py``: ``_open_openml_url`` and ``_get_local_path``):

* ``api/v1/json/data/42468.gz``            the description: name, format, file url, md5
* ``api/v1/json/data/features/42468.gz``   the columns: name, type, target flag
* ``api/v1/json/data/qualities/42468.gz``  NumberOfInstances
* ``data/v1/download/<file_id>/<name>.arff.gz``  the ARFF file, whose *uncompressed* md5
  must equal the description's ``md5_checksum``

Lookups by name read one more listing: ``api/v1/json/data/list/data_name/<name>/limit/2/``
then ``status/active/.gz`` (the default version) or ``data_version/1.gz``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from grader.jets.data import FEATURES, LABELS, OPENML_DATA_ID, OPENML_NAME, TARGET

FILE_ID = 22044760
DATA_URL = f"https://api.openml.org/data/v1/download/{FILE_ID}/{OPENML_NAME}.arff"


def write_openml_cache(data_home: Path, X: pd.DataFrame, y: np.ndarray) -> Path:
    """Lay out ``X, y`` as fetch_openml's cache of OpenML 42468 under ``data_home``."""
    root = Path(data_home) / "openml" / "openml.org"
    arff = _arff(X, y).encode("utf-8")
    description = {
        "data_set_description": {
            "id": str(OPENML_DATA_ID),
            "name": OPENML_NAME,
            "version": "1",
            "description": "Surrogate rows in the layout of hls4ml_lhc_jets_hlf (test cache).",
            "format": "ARFF",
            "file_id": str(FILE_ID),
            "default_target_attribute": TARGET,
            "status": "active",
            "url": DATA_URL,
            "md5_checksum": hashlib.md5(arff).hexdigest(),
        }
    }
    features = [
        {
            "index": str(i),
            "name": name,
            "data_type": "numeric",
            "is_target": "false",
            "is_ignore": "false",
            "is_row_identifier": "false",
            "number_of_missing_values": "0",
        }
        for i, name in enumerate(FEATURES)
    ]
    features.append(
        {
            "index": str(len(FEATURES)),
            "name": TARGET,
            "data_type": "nominal",
            "nominal_value": list(LABELS),
            "is_target": "true",
            "is_ignore": "false",
            "is_row_identifier": "false",
            "number_of_missing_values": "0",
        }
    )
    qualities = {
        "data_qualities": {
            "quality": [
                {"name": "NumberOfInstances", "value": f"{len(y)}.0"},
                {"name": "NumberOfFeatures", "value": f"{len(FEATURES) + 1}.0"},
            ]
        }
    }
    listing = {
        "data": {
            "dataset": [
                {"did": OPENML_DATA_ID, "name": OPENML_NAME, "version": 1, "status": "active"}
            ]
        }
    }
    api = root / "api" / "v1" / "json" / "data"
    _gz_json(api / f"{OPENML_DATA_ID}.gz", description)
    _gz_json(api / "features" / f"{OPENML_DATA_ID}.gz", {"data_features": {"feature": features}})
    _gz_json(api / "qualities" / f"{OPENML_DATA_ID}.gz", qualities)
    by_name = api / "list" / "data_name" / OPENML_NAME / "limit" / "2"
    _gz_json(by_name / "status" / "active" / ".gz", listing)
    _gz_json(by_name / "data_version" / "1.gz", listing)
    data_file = root / "data" / "v1" / "download" / str(FILE_ID) / f"{OPENML_NAME}.arff.gz"
    data_file.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_bytes(gzip.compress(arff))
    return root


def _arff(X: pd.DataFrame, y: np.ndarray) -> str:
    lines = [f"@RELATION {OPENML_NAME}", ""]
    lines += [f"@ATTRIBUTE {name} NUMERIC" for name in FEATURES]
    lines += [f"@ATTRIBUTE {TARGET} {{{','.join(LABELS)}}}", "", "@DATA"]
    values = np.asarray(X[list(FEATURES)], dtype=np.float32)
    for row, label in zip(values, np.asarray(y).astype(str)):
        lines.append(",".join(repr(float(v)) for v in row) + f",{label}")
    return "\n".join(lines) + "\n"


def _gz_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps(payload).encode("utf-8")))
