"""Pattern detectors on folded text: dates, quantities, regulation, commitment strength, negation.

Patterns run on `fold(text)` (lower-case, no accents), so they are written without accents.
"""

from __future__ import annotations

import re

__all__ = [
    "BEYOND",
    "COMPLIANCE",
    "CONDITIONAL",
    "DATE",
    "DEFERRED",
    "FIRM",
    "LEGAL_REFERENCE",
    "NEGATION",
    "QUANTITY",
    "REGULATION",
    "VAGUE",
]

_MONTHS = r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)"
_ORDINAL = r"(?:premier|1er|1re|premiere|second|seconde|deuxieme|2e|2eme|troisieme|3e|3eme|quatrieme|4e|4eme)"
_NUMBER_WORD = (
    r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize"
    r"|dix-huit|vingt|vingt-quatre|trente|trente-six|quarante-huit)"
)

DATE = re.compile(
    "|".join((
        rf"\b{_MONTHS}\s+(?:20\d\d)\b",
        rf"\b(?:fin|debut|mi-?)\s*{_MONTHS}\b",
        r"\b(?:d'ici|avant|au plus tard|des|a partir de|en|fin|debut|courant)\s+(?:fin\s+|la fin de\s+)?20[2-4]\d\b",
        r"\b[tm]\s?0?\s?\+\s?\d{1,2}\s*(?:mois|semaines?|ans?|m)?\b",
        r"\bm\s?\d{1,2}\b(?=.{0,3}(?:\||:|-|$))",
        r"\b(?:s|t)[1-4]\s+20[2-4]\d\b",
        rf"\b{_ORDINAL}\s+(?:trimestre|semestre|annee|bilan|mois)\b",
        r"\b(?:annee|an)\s+[1-5]\b",
        r"\bdate (?:d'?)?anniversaire\b",
        rf"\b(?:dans|sous|d'ici|avant|apres|au bout de|a|en)\s+(?:les\s+)?(?:\d{{1,2}}|{_NUMBER_WORD})\s+"
        r"(?:premiers?\s+)?(?:mois|semaines|jours|ans)\b",
        r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
        r"\bdes (?:la )?(?:notification|le demarrage|la prise d'effet|le premier mois)\b",
        r"\bbilan semestriel\b",
        r"\bau (?:premier|second|deuxieme) semestre\b",
    ))
)

#: A law's own date ("loi n° 2020-105 du 10 février 2020") is a reference, not a deadline.
LEGAL_REFERENCE = re.compile(
    rf"\b(?:loi|decret|arrete|ordonnance|directive|reglement|circulaire)\b[^.;]{{0,80}}?"
    rf"\bdu\s+\d{{1,2}}(?:er)?\s+{_MONTHS}\s+\d{{4}}"
)

QUANTITY = re.compile(
    "|".join((
        r"\d+(?:[.,]\d+)?\s?(?:%|pour ?cent|points?\b)",
        r"\d[\d \u00a0.]*(?:[.,]\d+)?\s?(?:t|tonnes?|kg|tco2e?|teqco2|kgco2e?|kwh|mwh|gwh|heures?|h|"
        r"euros?|eur|€|k€|km|m2|m3|litres?|salaries|personnes|agents|etp|vehicules|colis|palettes)\b",
        rf"\b{_NUMBER_WORD}\s+(?:heures|salaries|personnes|vehicules|agents|postes|etp)\b",
    ))
)

REGULATION = re.compile(
    r"\b(?:loi|lois|agec|egalim|decret|arrete|reglementation|reglementaire|reglementaires|legislation|"
    r"legal|legale|legaux|legales|code de l'environnement|code du travail|re ?2020|lom|reach|reglement|"
    r"climat et resilience|rep|responsabilite elargie|obligation|obligations|seuil minimal|minimum legal)\b"
)

BEYOND = re.compile(
    r"\b(?:au-? ?dela|au dela|depass\w*|surpass\w*|plus ambitieu\w*|aller plus loin|va plus loin|plancher|"
    r"plus du double|plus du triple|(?:le|au) double|au-dessus (?:du|de la|des)|"
    r"(?:porter|passer|augmenter|relever|portant|passant)\b.{0,60}\bde \d+(?:[.,]\d+)? ?% a \d+(?:[.,]\d+)? ?%|"
    r"superieure? (?:a|au|aux) (?:l'obligation|la reglementation|minimum|seuil|exigences?)|"
    r"en avance sur|anticip\w* (?:l'echeance|les echeances|l'obligation|la reglementation)|"
    r"double[rz]? (?:le|la|les)? ?(?:minimum|seuil|obligation))"
)

COMPLIANCE = re.compile(
    r"\b(?:conformement|conforme|conformes|en conformite|respect(?:e|ons|ent|er)?\s+(?:\w+\s+){0,2}"
    r"(?:la|le|les|l'|de la|du|des)?\s*(?:loi|reglementation|reglement|obligations?|legislation|normes?|exigences)|"
    r"dans le respect de|repond(?:ons)? aux obligations)"
)

FIRM = re.compile(
    r"\b(?:nous nous engageons|nous engageons|s'engage|engageons|engagement ferme|nous garantissons|"
    r"sera (?:mis|mise|realise|realisee|deploye|deployee|generalise|generalisee|installe|installee)|"
    r"seront (?:mis|mises|realises|realisees|deployes|deployees|installes|installees|remplaces|remplacees)|"
    r"nous (?:mettrons|installerons|deploierons|deploirons|reduirons|atteindrons|porterons|generaliserons|"
    r"formerons|recruterons|remplacerons|livrerons|fournirons|realiserons|organiserons|affecterons|"
    r"reverserons|consacrerons|mobiliserons|creerons|supprimerons|passerons|lancerons|remettrons))\b"
)

CONDITIONAL = re.compile(
    r"\b(?:sous reserve|a condition|si (?:les|le|la|nos|notre) .{0,40}(?:le permet|le permettent|accept)|"
    r"pourri\w+|pourrai\w+|le cas echeant|selon (?:les|la|nos) (?:possibilites|disponibilites)|"
    r"en fonction (?:de|des) (?:la|l'|les)? ?(?:possibilites|disponibilites|contraintes|validation))"
)

VAGUE = re.compile(
    r"\b(?:envisag\w*|reflechi\w*|reflexion|etudier|etudierons|a terme|dans la mesure du possible|"
    r"si possible|autant que possible|nous efforcer|s'efforcer|nous efforcerons|souhait\w*|"
    r"veill\w* a|tendre vers|sensibl\w*|favoriser|privilegier|ouverts? a|restons ouverts|disposes? a|"
    r"pret a|prets a|attentifs? a|avec attention)\b"
)

#: Commitments postponed to later discussion: they announce a part of the plan without giving it.
DEFERRED = re.compile(
    r"\b(?:ulterieurement|plus tard|seront definis|sera defini|seront etablis|sera etabli|sera arrete|"
    r"seront arretes|a definir|reste a definir|restent a definir|en temps utile|le moment venu|"
    r"seront precisees|sera precise|seront precises|lorsque les priorites)\b"
)

NEGATION = re.compile(
    r"\b(?:ne|n')\s*(?:\w+\s+){0,3}(?:pas|plus|jamais|aucun|aucune|guere)\b|\baucun(?:e)?\b|"
    r"\bpas de\b|\bpas encore\b|\bni\b"
)
