"""Saving and loading the passage classifier: a skops file beside its model card (JSON).

skops never unpickles: loading rebuilds only the types listed in `TRUSTED_TYPES`, and a file asking for
any other type is refused. The file is rewritten canonically (entries renamed in order, fixed dates) so
that the same training gives the same bytes. The card records the library versions; loading under
another scikit-learn version warns, in French, through the `warnings` module.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import sklearn  # type: ignore[import-untyped]
from skops.io import dumps, get_untrusted_types, loads  # type: ignore[import-untyped]
from skops.io.exceptions import UntrustedTypesFoundException  # type: ignore[import-untyped]

from evaluation.analysis.classifier import PassageClassifier
from evaluation.errors import InputError, Problem
from evaluation.settings import data_dir

__all__ = [
    "MODEL_NAME",
    "TRUSTED_TYPES",
    "LoadedClassifier",
    "ModelVersionWarning",
    "bundled_model_path",
    "card_path",
    "load_classifier",
    "save_classifier",
]

MODEL_NAME = "classifieur-passages"
#: Every type the bundled model is made of, beyond those skops trusts by default. Anything else is refused.
TRUSTED_TYPES: tuple[str, ...] = (
    "evaluation.analysis.classifier.PassageClassifier",
    "sklearn.multiclass._ConstantPredictor",
    "numpy.float32",
    "builtins.str",
)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ID = re.compile(r'"__id__": (\d+)')


class ModelVersionWarning(UserWarning):
    """The model was trained with another version of scikit-learn than the one installed."""


@dataclass(frozen=True)
class LoadedClassifier:
    classifier: PassageClassifier
    card: dict[str, Any]
    path: Path

    @property
    def version(self) -> str:
        """How analyse.json names the model: name, training date and the file's fingerprint."""
        date = self.card.get("date") or "sans-date"
        return f"{self.card.get('nom', MODEL_NAME)}-{date}-{str(self.card.get('sha256_modele', ''))[:12]}"


def bundled_model_path() -> Path:
    return data_dir("models") / f"{MODEL_NAME}.skops"


def card_path(model: Path) -> Path:
    return model.with_suffix(".json")


def _canonical(data: bytes) -> bytes:
    """The skops archive with entries renamed in order of appearance and fixed dates: stable bytes.

    skops names array entries after `id()` of the arrays and records memo ids, which change from one run to
    the next.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        schema = source.read("schema.json").decode("utf-8")
        names = [n for n in source.namelist() if n != "schema.json"]
        order = sorted(names, key=lambda n: (schema.find(f'"{n}"'), n))
        renamed = {name: f"{i:04d}{Path(name).suffix}" for i, name in enumerate(order)}
        if renamed:
            schema = re.sub("|".join(re.escape(f'"{n}"') for n in renamed),
                            lambda m: f'"{renamed[m.group(0)[1:-1]]}"', schema)
        # Memo ids (`id()` again) only pair references within the file: numbered in order of appearance.
        ids: dict[str, int] = {}
        schema = _ID.sub(lambda m: f'"__id__": {ids.setdefault(m.group(1), len(ids))}', schema)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for name, content in [("schema.json", schema.encode("utf-8")),
                                  *((renamed[n], source.read(n)) for n in order)]:
                entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                entry.create_system = 3
                copy.writestr(entry, content)
    return out.getvalue()


def save_classifier(classifier: PassageClassifier, path: Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the model and its card (`<path>.json`); return the card completed with the file's SHA-256."""
    data = _canonical(dumps(classifier))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    card = {**card, "fichier": path.name, "sha256_modele": hashlib.sha256(data).hexdigest()}
    card_path(path).write_text(json.dumps(card, ensure_ascii=False, indent=2, sort_keys=False) + "\n",
                               encoding="utf-8")
    return card


def _refuse(path: Path, reason: str) -> InputError:
    return InputError(Problem(reason, fichier=path, conseil="réentraînez le modèle avec `evaluation modele entrainer`"))


def load_classifier(path: Path | None = None) -> LoadedClassifier | None:
    """Load a model and its card; None when the file does not exist (the analysis then uses rules only).

    Raises InputError when the file is not a model this toolkit wrote (unexpected types, wrong class).
    """
    path = path if path is not None else bundled_model_path()
    if not path.is_file():
        return None
    stat = path.stat()
    loaded = _load(path.resolve(), stat.st_mtime_ns, stat.st_size)
    trained = str(loaded.card.get("bibliotheques", {}).get("scikit-learn", "inconnue"))
    if trained != sklearn.__version__:
        warnings.warn(ModelVersionWarning(
            f"le modèle {path.name} a été entraîné avec scikit-learn {trained}, la version installée est "
            f"{sklearn.__version__} : ses prédictions peuvent différer. Réentraînez-le avec "
            "`evaluation modele entrainer`."), stacklevel=2)
    return loaded


@lru_cache(maxsize=4)
def _load(path: Path, mtime: int, size: int) -> LoadedClassifier:
    """Read and check a model file once per version of the file (keyed by its date and size)."""
    del mtime, size  # only part of the cache key
    data = path.read_bytes()
    try:
        card = json.loads(card_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _refuse(path, f"fiche du modèle illisible ou absente ({card_path(path).name})") from exc
    if card.get("sha256_modele") not in (None, hashlib.sha256(data).hexdigest()):
        raise _refuse(path, "le fichier du modèle ne correspond pas à l'empreinte SHA-256 de sa fiche")
    try:
        # skops audits the whole tree against the trusted list before constructing anything.
        classifier = loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        unexpected = sorted(set(get_untrusted_types(data=data)) - set(TRUSTED_TYPES))
        raise _refuse(path, "le fichier demande des types non prévus : " + ", ".join(unexpected)) from exc
    except Exception as exc:  # skops raises many kinds of errors on a damaged archive
        raise _refuse(path, f"fichier de modèle illisible ({type(exc).__name__})") from exc
    if not isinstance(classifier, PassageClassifier):
        raise _refuse(path, f"le fichier ne contient pas un classifieur de passages ({type(classifier).__name__})")
    return LoadedClassifier(classifier=classifier, card=card, path=path)
