"""The timeline of each offer's dated actions, from the passages behind « planning précis » and « calendrier ».

A date expression is what the bidder wrote (« T0+3 mois », « d'ici 2027 », « 15 septembre 2026 »). Calendar
dates and delays counted from the notification cannot share one axis (the notification date is not known
when offers are compared), so each gets its own chart. Everything is plain integer arithmetic on the
expressions found: the same passages always give the same table and the same drawing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from evaluation.model import Evidence, OfferAnalysis
from evaluation.reporting.labels import MONTHS, anchor, clean_text
from evaluation.reporting.view import Citation, Milestone, OfferTimeline, TimelineChart, TimelinePoint

__all__ = ["DateMention", "build_charts", "build_timeline", "find_dates"]

ACTION_MAX = 240
CLUSTER = 22  # pixels: closer milestones share one dot and one label

_MONTH = "|".join(MONTHS)
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)}
_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "dix-huit": 18, "vingt-quatre": 24,
    "trente": 30, "trente-six": 36,
}
_ORDINALS = {
    "premier": 1, "première": 1, "1er": 1, "1re": 1, "1ère": 1, "deuxième": 2, "second": 2, "seconde": 2,
    "2e": 2, "2ème": 2, "troisième": 3, "3e": 3, "3ème": 3, "quatrième": 4, "4e": 4, "4ème": 4,
    "cinquième": 5, "5e": 5, "5ème": 5,
}
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_ORDINAL = "(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_UNIT = r"(jours?|j|semaines?|mois|ans?|années?)"
_YEAR = r"(20\d{2})"
_APOS = "['’]"

# Order matters: a longer, more precise expression masks the shorter ones inside it.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE)) for kind, rx in (
        ("jour", rf"\b(1er|\d{{1,2}})\s+({_MONTH})\s+{_YEAR}\b"),
        ("numerique", rf"\b(\d{{1,2}})/(\d{{1,2}})/{_YEAR}\b"),
        ("trimestre", rf"\b{_ORDINAL}\s+(trimestre|semestre)\s+{_YEAR}\b"),
        ("trimestre_court", rf"\b([TS])([1-4])\s+{_YEAR}\b"),
        ("mois", rf"\b({_MONTH})\s+{_YEAR}\b"),
        ("fin_annee", rf"\b(fin|début|mi-?)\s*{_YEAR}\b"),
        ("annee_prep",
         rf"\b(d{_APOS}ici|avant|au plus tard en|dès|à partir de|à l{_APOS}horizon|en|année)\s+{_YEAR}\b"),
        ("t0", rf"\b(?:T0|J0)\s*\+\s*(\d{{1,3}})\s*{_UNIT}(?![a-z])"),
        ("m_plus", r"\b([MJ])\s*\+\s*(\d{1,3})\b"),
        ("notification", rf"\b(?:dès|à|lors de|au plus tard à)\s+(?:la\s+)?(notification|démarrage du marché|"
                         rf"début du marché|début de l{_APOS}exécution)\b"),
        ("delai", rf"\bdans\s+(?:un délai de\s+|les\s+)?{_NUMBER}\s+(?:premiers?\s+|premières?\s+)?{_UNIT}(?![a-z])"),
        ("apres", rf"\b{_NUMBER}\s+{_UNIT}\s+après\s+(?:la\s+|le\s+)?(notification|démarrage|début)"),
        ("annee_marche", rf"\b(au cours de|pendant|d{_APOS}ici la fin de|à la fin de|avant la fin de|fin de)\s+"
                         rf"la\s+{_ORDINAL}\s+année"),
        ("annee_numero", r"\bannée\s+([1-9])\b"),
    )
)


@dataclass(frozen=True)
class DateMention:
    """A date expression: as written, where it sits, and a key that orders it on its axis."""

    texte: str
    nature: str  # « date » | « relatif »
    cle: int  # calendar dates: months since year 0 (x 32 + day); delays: days after the notification
    repere: str


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def _days(amount: int, unit: str) -> int:
    unit = unit.lower()
    if unit.startswith("j"):
        return amount
    if unit.startswith("sem"):
        return amount * 7
    if unit == "mois":
        return amount * 30
    return amount * 365


def _relative_label(days: int) -> str:
    if days == 0:
        return "Notification"
    if days % 365 == 0:
        years = days // 365
        return f"Notification + {years} an{'s' if years > 1 else ''}"
    if days % 30 == 0:
        return f"Notification + {days // 30} mois"
    if days % 7 == 0:
        weeks = days // 7
        return f"Notification + {weeks} semaine{'s' if weeks > 1 else ''}"
    return f"Notification + {days} jour{'s' if days > 1 else ''}"


def _calendar(year: int, month: int, day: int = 0) -> int:
    return (year * 12 + month - 1) * 32 + day


def _calendar_label(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"


def _mention(kind: str, m: re.Match[str]) -> DateMention | None:
    text = " ".join(m.group(0).split())
    g = m.groups()
    if kind == "jour":
        day = 1 if g[0].lower() == "1er" else int(g[0])
        month, year = _MONTH_NUMBER[g[1].lower()], int(g[2])
        if not 1 <= day <= 31:
            return None
        return DateMention(text, "date", _calendar(year, month, day), _calendar_label(year, month, day))
    if kind == "numerique":
        day, month, year = int(g[0]), int(g[1]), int(g[2])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return DateMention(text, "date", _calendar(year, month, day), _calendar_label(year, month, day))
    if kind in ("trimestre", "trimestre_court"):
        if kind == "trimestre":
            rank, period, year = _ORDINALS[g[0].lower()], g[1].lower(), int(g[2])
        else:
            period = "trimestre" if g[0].upper() == "T" else "semestre"
            rank, year = int(g[1]), int(g[2])
        size = 3 if period == "trimestre" else 6
        if rank * size > 12:
            return None
        label = f"{'1er' if rank == 1 else f'{rank}e'} {period} {year}"
        return DateMention(text, "date", _calendar(year, rank * size, 31), label)
    if kind == "mois":
        month, year = _MONTH_NUMBER[g[0].lower()], int(g[1])
        return DateMention(text, "date", _calendar(year, month, 31), _calendar_label(year, month, None))
    if kind == "fin_annee":
        word, year = g[0].lower(), int(g[1])
        month = 12 if word == "fin" else 1 if word == "début" else 6
        label = {"fin": "fin", "début": "début"}.get(word, "mi")
        return DateMention(text, "date", _calendar(year, month, 31 if month == 12 else 0), f"{label} {year}")
    if kind == "annee_prep":
        word, year = g[0].lower(), int(g[1])
        early = word in ("dès", "à partir de")
        month = 1 if early else 12 if not word.startswith(("en", "année")) else 6
        return DateMention(text, "date", _calendar(year, month, 0 if early else 31), str(year))
    if kind == "t0":
        days = _days(int(g[0]), g[1])
        return DateMention(text, "relatif", days, _relative_label(days))
    if kind == "m_plus":
        days = int(g[1]) * (30 if g[0].upper() == "M" else 1)
        return DateMention(text, "relatif", days, _relative_label(days))
    if kind == "notification":
        return DateMention(text, "relatif", 0, "Notification")
    if kind == "delai":
        days = _days(_number(g[0]), g[1])
        return DateMention(text, "relatif", days, _relative_label(days))
    if kind == "apres":
        days = _days(_number(g[0]), g[1])
        return DateMention(text, "relatif", days, _relative_label(days))
    if kind == "annee_marche":
        rank = _ORDINALS[g[1].lower()]
        during = g[0].lower() in ("au cours de", "pendant")
        days = rank * 365 - (182 if during else 0)
        return DateMention(text, "relatif", days, f"Année {rank} du marché" + ("" if during else " (fin)"))
    if kind == "annee_numero":
        rank = int(g[0])
        return DateMention(text, "relatif", rank * 365 - 182, f"Année {rank} du marché")
    return None  # pragma: no cover - every pattern kind is handled above


def find_dates(text: str) -> list[DateMention]:
    """Every date expression of `text`, in reading order; a match never overlaps a more precise one."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, DateMention]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            mention = _mention(kind, m)
            if mention is not None:
                taken.append((start, end))
                found.append((start, mention))
    return [mention for _start, mention in sorted(found, key=lambda item: item[0])]


def _shorten(text: str, around: str = "") -> str:
    """At most about ACTION_MAX characters of the passage, keeping the date expression `around` in view."""
    text = " ".join(text.split())
    if len(text) <= ACTION_MAX:
        return text
    at = text.find(around) if around else -1
    start = 0 if at < 0 or at + len(around) <= ACTION_MAX - 20 else max(0, at - ACTION_MAX // 2)
    if start:
        start = text.find(" ", start) + 1 or start
    window = text[start:start + ACTION_MAX]
    if start + ACTION_MAX < len(text):
        window = window.rsplit(" ", 1)[0] + " […]"
    return ("[…] " if start else "") + window


def _passages(analysis: OfferAnalysis, key: str) -> list[tuple[Evidence, str]]:
    """Passages behind « planning précis » then « calendrier », each once, with the block quoting it."""
    seen: set[tuple[str, int, str]] = set()
    out: list[tuple[Evidence, str]] = []
    sources: list[tuple[Iterable[Evidence], str]] = [
        (analysis.planning_precis.preuves, anchor(key, "signal", "planning_precis")),
    ]
    calendrier = analysis.elements.get("calendrier")
    if calendrier is not None:
        sources.append((calendrier.preuves, anchor(key, "element", "calendrier")))
    for preuves, block in sources:
        for p in preuves:
            ident = (p.fichier, p.paragraphe, p.texte)
            if ident not in seen:
                seen.add(ident)
                out.append((p, block))
    return out


def build_timeline(offer_id: str, name: str, analysis: OfferAnalysis) -> OfferTimeline:
    """The offer's passages that carry a date expression, delays from the notification first, then dates.

    A passage placed on the axis by its last expression: in « dès la notification, achevée à T0+3 mois »
    the deadline is the last one written.
    """
    key = anchor("offre", offer_id)
    rows: list[tuple[int, int, int, Milestone]] = []
    for order, (p, block) in enumerate(_passages(analysis, key)):
        mentions = find_dates(clean_text(p.texte))
        if not mentions:
            continue
        last = mentions[-1]
        rows.append((0 if last.nature == "relatif" else 1, last.cle, order, Milestone(
            numero=0,
            expressions=tuple(m.texte for m in mentions),
            repere=last.repere[:1].upper() + last.repere[1:],
            nature=last.nature,
            action=_shorten(clean_text(p.texte), last.texte),
            citation=Citation(clean_text(p.texte), clean_text(p.fichier), p.page, p.paragraphe),
            anchor=block,
            cle=last.cle,
        )))
    rows.sort(key=lambda r: r[:3])
    milestones = tuple(
        replace(m, numero=i) for i, (*_k, m) in enumerate(rows, start=1)
    )
    return OfferTimeline(offer_id, clean_text(name), anchor(key, "calendrier"), milestones)


def build_charts(timelines: Iterable[OfferTimeline]) -> tuple[TimelineChart, ...]:
    """One chart for calendar dates, one for delays from the notification, each with a lane per offer."""
    timelines = list(timelines)
    charts = []
    for nature, title in (
        ("relatif", "Échéances comptées à partir de la notification du marché"),
        ("date", "Échéances datées"),
    ):
        lanes = [(t, [m for m in t.jalons if m.nature == nature]) for t in timelines]
        lanes = [(t, ms) for t, ms in lanes if ms]
        if lanes:
            charts.append(_chart(title, nature, lanes))
    return tuple(charts)


def _ticks(nature: str, low: int, high: int) -> tuple[int, int, list[tuple[int, str]]]:
    """Axis bounds and labelled ticks: months (delays) or years (calendar dates)."""
    if nature == "relatif":
        months = max(1, -(-high // 30))
        step = next(s for s in (1, 3, 6, 12, 24, 60) if months / s <= 8)
        end = -(-months // step) * step
        return 0, end * 30, [(k * 30, "T0" if k == 0 else f"+{k} mois") for k in range(0, end + 1, step)]
    first, last = low // (12 * 32), high // (12 * 32) + 1
    step = max(1, -(-(last - first) // 8))
    years = list(range(first, last + 1, step))
    if years[-1] < last:
        years.append(years[-1] + step)
    return _calendar(years[0], 1), _calendar(years[-1], 1), [(_calendar(y, 1), str(y)) for y in years]


def _numbers(numbers: list[int]) -> str:
    """[2, 3, 4] → « 2–4 »; [1, 3] → « 1, 3 »."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _chart(title: str, nature: str, lanes: list[tuple[OfferTimeline, list[Milestone]]]) -> TimelineChart:
    x0, x1, lane_height, top = 250, 940, 44, 16
    keys = [m.cle for _t, ms in lanes for m in ms]
    low, high, ticks = _ticks(nature, min(keys), max(keys))
    span = max(high - low, 1)

    def x_of(key: int) -> int:
        return x0 + (min(max(key, low), high) - low) * (x1 - x0) // span

    couloirs, points = [], []
    for i, (timeline, milestones) in enumerate(lanes):
        y = top + i * lane_height + lane_height // 2
        name = timeline.soumissionnaire
        couloirs.append((y, name if len(name) <= 34 else name[:33].rstrip() + "…", name))
        clusters: list[list[tuple[int, Milestone]]] = []
        for x, m in sorted(((x_of(m.cle), m) for m in milestones), key=lambda item: (item[0], item[1].numero)):
            if clusters and x - clusters[-1][0][0] < CLUSTER:
                clusters[-1].append((x, m))
            else:
                clusters.append([(x, m)])
        for cluster in clusters:
            numbers = sorted(m.numero for _x, m in cluster)
            points.append(TimelinePoint(
                x=cluster[0][0], y=y, numeros=_numbers(numbers),
                titre=" ; ".join(f"{m.numero}. {m.repere} : {m.action}" for _x, m in cluster),
            ))
    height = top + len(lanes) * lane_height + 28
    return TimelineChart(
        titre=title, largeur=x1 + 40, hauteur=height, x0=x0, x1=x1,
        graduations=tuple((x_of(k), label) for k, label in ticks),
        couloirs=tuple(couloirs), points=tuple(points),
    )
