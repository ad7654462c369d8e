"""Pattern detectors on folded text: regulation, commitment strength, deferral, negation.

Dates are read by `temporal`, quantities by `quantities`, legal minimums by `regulation`.

Patterns run on `fold(text)` (lower-case, no accents), so they are written without accents.
"""

from __future__ import annotations

import re

__all__ = [
    "BEYOND",
    "COMPLIANCE",
    "CONDITIONAL",
    "DEFERRED",
    "FIRM",
    "NEGATION",
    "REGULATION",
    "VAGUE",
]

REGULATION = re.compile(
    r"\b(?:loi|lois|agec|egalim|decret|arrete|reglementation|reglementaire|reglementaires|legislation|"
    r"legal|legale|legaux|legales|code de l'environnement|code du travail|re ?2020|lom|reach|reglement|"
    r"climat et resilience|rep|responsabilite elargie|obligation|obligations|seuil minimal|minimum legal|"
    r"ccap|cctp|clause sociale|cahier des charges)\b"
)

BEYOND = re.compile(
    r"\b(?:au-? ?dela|au dela|depass\w*|surpass\w*|plus ambitieu\w*|aller plus loin|va plus loin|plancher|"
    r"plus du double|plus du triple|(?:le|au) double|au-dessus (?:du|de la|des)|"
    r"(?:porter|passer|augmenter|relever|portant|passant)\b.{0,60}\bde \d+(?:[.,]\d+)? ?% a \d+(?:[.,]\d+)? ?%|"
    r"superieure? (?:a|au|aux) (?:l'obligation|la reglementation|minimum|seuil|exigences?)|"
    r"en avance sur|anticip\w* (?:l'echeance|les echeances|l'obligation|la reglementation)|"
    r"double[rz]? (?:le|la|les)? ?(?:minimum|seuil|obligation)|"
    r"au lieu (?:de|des|du) (?:la |les )?\d[\d ]*(?:[.,]\d+)?(?!\d)|"
    r"(?:la loi|le decret|la reglementation|le texte|le ccap) (?:ne |n')(?:nous )?(?:en )?"
    r"(?:demande|exige|impose|prevoit|oblige)\w* que\b|"
    r"(?:n'|ne )(?:l'|les |la |le )?(?:impose|imposent|exige|exigent|oblige|obligent) pas|"
    r"aucun texte ne nous y oblige|sans y etre oblige|que (?:la loi|le decret|la reglementation) n'impose pas)"
)

COMPLIANCE = re.compile(
    r"\b(?:conformement|conforme|conformes|en conformite|respect(?:e|ons|ent|er)?\s+(?:\w+\s+){0,2}"
    r"(?:la|le|les|l'|de la|du|des)?\s*(?:loi|reglementation|reglement|obligations?|legislation|normes?|exigences)|"
    r"dans le (?:strict |plein )?respect de|repond(?:ons)? aux obligations|"
    r"en (?:parfaite |totale |pleine |stricte )?conformite|"
    r"(?:prevue?s?|exigee?s?|imposee?s?|requise?s?|fixee?s?|demandee?s?) (?:a|par) (?:l'article|le ccap|le cctp|"
    r"la loi|le decret|la reglementation|la clause)|dans le cadre de la clause sociale)"
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
    r"seront precisees|sera precise|seront precises|lorsque les priorites|"
    r"(?:planning|calendrier|plan d'actions?|programme)(?: detaille)?(?: des actions)? sera "
    r"(?:communique|transmis|presente|fourni|remis|etabli|elabore))\b"
)

#: A denial in the main clause; one inside a relative clause ("les denrées que nous ne jetterons plus") is
#: part of a commitment, not a refusal.
NEGATION = re.compile(
    # The look-ahead only spares the look-behinds at positions where no "ne"/"n'" starts.
    r"(?=ne|n')(?<!que nous )(?<!que vous )(?<!qui )(?<!qu'il )(?<!qu'elle )(?<!qu'ils )(?<!qu'elles )"
    r"\b(?:ne|n')\s*(?:\w+\s+){0,3}(?:pas|plus|jamais|aucun|aucune|guere)\b|\baucun(?:e)?\b|"
    r"\bpas de\b|\bpas encore\b|\bni\b"
)
