"""Build the `ReportView` of a context: offers sorted by rank, method, chart and consistency checks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from evaluation.model import ELEMENT_IDS, AbnormallyLowRule, Criterion
from evaluation.reporting.context import ReportContext
from evaluation.reporting.derived import with_assessments
from evaluation.reporting.labels import (
    NOT_SCORED,
    PRICE_FORMULAS,
    PRICE_METHODS,
    SIGNALS,
    SOURCES,
    anchor,
    clean_text,
    format_date,
    format_decimal,
    format_weight,
)
from evaluation.reporting.offers import axis_label, build_offer, with_rank_text
from evaluation.reporting.prices import build_price_section, build_requests
from evaluation.reporting.regulatory import build_regulatory, other_findings
from evaluation.reporting.timeline import build_charts, build_timeline
from evaluation.reporting.view import (
    Bar,
    Chart,
    CriterionAnalysis,
    CriterionColumn,
    CriterionMethod,
    OfferView,
    ReportView,
    Segment,
    SubCriterionAnalysis,
    SubCriterionMethod,
    SubCriterionRow,
)

__all__ = ["build_view"]

HUNDRED = Decimal(100)
#: One colour per criterion in the stacked bars, as in rapport.css (.serie-0 …).
SERIES_COLOURS = ("#23466e", "#4f8fc0", "#8fb8de", "#c9872c", "#6b8e4e", "#8a6bb0")


def build_view(ctx: ReportContext) -> ReportView:
    """Resolve everything a report shows; raises `InputError` when classement.json holds a non-number."""
    grid = ctx.grid
    columns = tuple(CriterionColumn(c.id, c.libelle, c.poids) for c in grid.criteres)
    elements = tuple((e, ctx.element_labels.get(e, e)) for e in ELEMENT_IDS)
    axes = tuple((a, axis_label(ctx, a)) for a in _requested_axes(ctx))
    ids = sorted(set(ctx.ranking.offres) | set(ctx.analysis.offres))
    offers = [build_offer(ctx, offer_id, elements, axes) for offer_id in ids]
    ties: Counter[int | None] = Counter(o.rang for o in offers if o.rang is not None)
    offers = [
        with_rank_text(o, ties) for o in sorted(
            offers, key=lambda o: (o.rang is None, o.rang or 0, o.soumissionnaire.casefold(), o.id)
        )
    ]
    requests = build_requests(ctx)
    asked = {r.offre_id: r.anchor for r in requests}
    ranked = with_assessments(
        tuple(
            replace(o, demande_anchor=asked.get(o.id), autres=other_findings(o.anchor, ctx.analysis.offres.get(o.id)))
            for o in offers
        ),
        grid.max_level,
    )
    criteria = tuple(_criterion_method(ctx, c) for c in grid.criteres)
    price_method = next((c for c in criteria if c.prix), None)
    timelines = tuple(
        build_timeline(o.id, o.soumissionnaire, ctx.analysis.offres[o.id])
        for o in ranked if o.id in ctx.analysis.offres
    )
    names = {o.id: o.soumissionnaire for o in ranked}
    consultation = ctx.consultation
    versions = sorted(set(ctx.analysis.versions) | set(ctx.ranking.versions))
    return ReportView(
        objet=consultation.objet,
        reference=consultation.reference,
        acheteur=consultation.acheteur,
        grille_libelle=grid.libelle,
        grille_id=grid.full_id,
        date=format_date(ctx.date) if ctx.date else None,
        source_des_notes=SOURCES[ctx.ranking.source_des_notes],
        provisoire=ctx.ranking.provisoire,
        prix_exprimes=consultation.prix_exprimes,
        columns=columns,
        offers=ranked,
        chart=_chart(list(ranked), columns),
        criteres=criteria,
        echelle=tuple((lv.niveau, lv.libelle, lv.descripteur) for lv in grid.echelle),
        elements=elements,
        axes=axes,
        avertissements=tuple(_with_names(clean_text(a), names) for a in ctx.ranking.avertissements),
        controles=_consistency(ctx),
        sensibilite=_sensitivity(ctx, names),
        versions=tuple(
            (k, ctx.analysis.versions.get(k, "—"), ctx.ranking.versions.get(k, "—")) for k in versions
        ),
        analyse_criteres=_criteria_analysis(ctx, ranked),
        calendriers=timelines,
        frises=build_charts(timelines),
        reglementaire=tuple(
            build_regulatory(o, ctx.analysis.offres.get(o.id)) for o in ranked if o.analysee
        ),
        prix=build_price_section(ctx, ranked, price_method.prix if price_method else "",
                                 price_method.anomalie if price_method else ""),
        demandes=requests,
        criteres_non_notes=tuple(
            c.libelle for i, c in enumerate(columns)
            if ranked and all(o.points[i] == NOT_SCORED for o in ranked if o.notee)
            and any(o.notee for o in ranked)
        ),
        echelle_max=grid.max_level,
        date_iso=ctx.date.strip() if ctx.date else None,
    )


_QUOTED_ID = re.compile(r"« ([a-z0-9][a-z0-9_-]{0,63}) »")


def _with_names(text: str, names: dict[str, str]) -> str:
    """« gamma » becomes « Groupe Vestalis SA » (gamma) in sentences of the scoring: readers know names."""
    return _QUOTED_ID.sub(lambda m: f"« {names[m.group(1)]} » ({m.group(1)})" if m.group(1) in names
                          else m.group(0), text)


def _sensitivity(ctx: ReportContext, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The sensitivity analysis as (what is tested, French sentence), in a reading order."""
    data = ctx.ranking.sensibilite
    criteria = {f"poids_{c.id}": c.libelle for c in ctx.grid.criteres}
    order = ["ecart_premier_second", "premier_ex_aequo", *criteria, "retrait_d_une_offre"]
    keys = [k for k in order if k in data] + sorted(k for k in data if k not in order)
    rows = []
    for key in keys:
        value = _with_names(clean_text(data[key]), names)
        if key == "ecart_premier_second":
            title = "Écart entre les deux premières offres"
            try:
                gap = Decimal(data[key])
            except InvalidOperation:
                gap = None
            if gap is not None and gap.is_finite():
                value = (f"{format_decimal(gap)} point(s) séparent l'offre classée première de l'offre classée "
                         "deuxième.")
        elif key == "premier_ex_aequo":
            title = "Égalité en tête"
        elif key in criteria:
            title = f"Poids du critère « {criteria[key]} »"
        elif key == "retrait_d_une_offre":
            title = "Retrait d'une offre"
        else:
            title = key.replace("_", " ").capitalize()
        rows.append((title, value))
    return tuple(rows)


def _criteria_analysis(ctx: ReportContext, offers: tuple[OfferView, ...]) -> tuple[CriterionAnalysis, ...]:
    """Each criterion across the offers; lines of every offer follow the grid's sub-criteria order."""
    subs = ctx.grid.sub_criteria()
    out = []
    for criterion in ctx.grid.criteres:
        indexes = [i for i, (c, _s) in enumerate(subs) if c.id == criterion.id]
        out.append(CriterionAnalysis(
            libelle=criterion.libelle,
            poids=criterion.poids,
            anchor=anchor("critere", criterion.id),
            prix=criterion.prix is not None,
            sous_criteres=tuple(
                SubCriterionAnalysis(
                    libelle=subs[i][1].libelle,
                    points_max=criterion.poids * subs[i][1].poids / HUNDRED,
                    lignes=tuple(
                        SubCriterionRow(o.soumissionnaire, o.id, o.anchor, o.rang_texte, o.lignes[i])
                        for o in offers if i < len(o.lignes)
                    ),
                )
                for i in indexes
            ),
        ))
    return tuple(out)


def _requested_axes(ctx: ReportContext) -> list[str]:
    if ctx.analysis.axes_demandes:
        return list(ctx.analysis.axes_demandes)
    return [a if isinstance(a, str) else a.id for a in ctx.consultation.axes]


def _criterion_method(ctx: ReportContext, criterion: Criterion) -> CriterionMethod:
    grid = ctx.grid
    levels = {lv.niveau: lv.libelle for lv in grid.echelle}
    subs = []
    for sub in criterion.sous_criteres:
        element = sub.signal.element
        axis = getattr(sub.signal, "axe", None)  # signal type added while the grid model evolves
        subs.append(SubCriterionMethod(
            libelle=sub.libelle,
            description=sub.description or "",
            part=sub.poids,
            points=criterion.poids * sub.poids / HUNDRED,
            signal=SIGNALS.get(sub.signal.type, sub.signal.type).format(
                element=ctx.element_labels.get(element, element) if element else "",
                axe=axis_label(ctx, axis) if isinstance(axis, str) else "",
            ),
            descripteurs=tuple(
                (f"{lv} — {levels[lv]}", text) for lv, text in sorted(sub.descripteurs.items())
            ),
        ))
    prix = anomalie = ""
    if criterion.prix is not None:
        method = criterion.prix.methode
        prix = PRICE_METHODS.get(method, method)
        if method in PRICE_FORMULAS:
            prix += f" ({PRICE_FORMULAS[method]})"
        anomalie = _abnormal_rule(criterion.prix.offre_anormalement_basse)
    return CriterionMethod(
        libelle=criterion.libelle,
        description=criterion.description or "",
        poids=criterion.poids,
        sous_criteres=tuple(subs),
        prix=prix[:1].upper() + prix[1:],
        anomalie=anomalie,
    )


def _abnormal_rule(rule: AbnormallyLowRule) -> str:
    seuil = format_weight(rule.seuil * HUNDRED) + "\u202f%"
    if rule.regle == "estimation":
        amount = format_decimal(rule.estimation) if rule.estimation is not None else "—"
        return f"prix inférieur à {seuil} de l'estimation de l'acheteur ({amount} €)"
    if rule.regle == "ecart_type":
        text = "prix inférieur à la moyenne des offres diminuée d'un écart type"
    else:
        text = f"prix inférieur à {seuil} de la moyenne réduite (moyenne hors offres extrêmes)"
    return text + ", règle appliquée à partir de trois offres chiffrées"


def _chart(offers: list[OfferView], columns: tuple[CriterionColumn, ...]) -> Chart:
    """Stacked bars: each offer's total split by criterion, on the scale of the grid's total."""
    x0, scale, row = 260, 420, 30
    total_max = sum((c.poids for c in columns), Decimal(0))
    scored = [o for o in offers if o.total is not None]
    bars = []
    for i, offer in enumerate(scored):
        total = offer.total if offer.total is not None else Decimal(0)
        ratio = min(max(total / total_max, Decimal(0)), Decimal(1)) if total_max else Decimal(0)
        width = (ratio * scale).quantize(Decimal("0.1"))
        segments, left = [], Decimal(0)
        for c, (column, value) in enumerate(zip(columns, offer.points, strict=False)):
            if not isinstance(value, Decimal) or value <= 0 or not total_max:
                continue
            part = (min(value / total_max, Decimal(1)) * scale).quantize(Decimal("0.1"))
            part = min(part, width - left)
            if part <= 0:
                continue
            segments.append(Segment(
                x=str(x0 + left), largeur=str(part), classe=f"serie-{c % 6}",
                titre=f"{column.libelle} : {format_decimal(value)} / {format_weight(column.poids)}",
                couleur=SERIES_COLOURS[c % len(SERIES_COLOURS)],
            ))
            left += part
        name = offer.soumissionnaire
        short = name if len(name) <= 36 else name[:35].rstrip() + "…"
        bars.append(Bar(
            y=10 + i * row,
            label=short,
            nom_complet=name,
            largeur=str(width),
            valeur=format_decimal(total),
            x_valeur=str(x0 + width + 6),
            segments=tuple(segments),
        ))
    ticks = tuple(
        (str(x0 + scale * q // 4), format_weight(total_max * q / 4)) for q in range(5)
    )
    return Chart(
        largeur=x0 + scale + 70,
        hauteur=10 + len(bars) * row + 24,
        x0=x0,
        echelle=scale,
        barres=tuple(bars),
        graduations=ticks,
        legende=tuple((f"serie-{i % 6}", c.libelle) for i, c in enumerate(columns)),
    )


def _consistency(ctx: ReportContext) -> tuple[str, ...]:
    """Mismatches between the files the report is built from: they must be fixed before signing."""
    notes: list[str] = []
    expected_ref, expected_grid = ctx.consultation.reference, ctx.grid.full_id
    for name, ref, grille in (
        ("analyse.json", ctx.analysis.reference, ctx.analysis.grille),
        ("classement.json", ctx.ranking.reference, ctx.ranking.grille),
    ):
        if ref != expected_ref:
            notes.append(f"{name} porte sur la consultation « {ref} » et non sur « {expected_ref} ».")
        if grille != expected_grid:
            notes.append(f"{name} a été produit avec la grille « {grille} » et non « {expected_grid} ».")
    only_analysis = sorted(set(ctx.analysis.offres) - set(ctx.ranking.offres))
    only_ranking = sorted(set(ctx.ranking.offres) - set(ctx.analysis.offres))
    if only_analysis:
        notes.append("Offre(s) analysée(s) mais absente(s) du classement : " + ", ".join(only_analysis) + ".")
    if only_ranking:
        notes.append("Offre(s) notée(s) sans analyse automatique : " + ", ".join(only_ranking) + ".")
    return tuple(clean_text(n) for n in notes)
