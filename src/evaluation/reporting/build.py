"""Build the `ReportView` of a context: offers sorted by rank, method, chart and consistency checks."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from evaluation.model import ELEMENT_IDS, AbnormallyLowRule, Criterion
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import (
    PRICE_FORMULAS,
    PRICE_METHODS,
    SIGNALS,
    SOURCES,
    clean_text,
    format_date,
    format_decimal,
    format_weight,
)
from evaluation.reporting.offers import axis_label, build_offer, with_rank_text
from evaluation.reporting.view import (
    Bar,
    Chart,
    CriterionColumn,
    CriterionMethod,
    OfferView,
    ReportView,
    SubCriterionMethod,
)

__all__ = ["build_view"]

HUNDRED = Decimal(100)


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
        offers=tuple(offers),
        chart=_chart(offers, sum((c.poids for c in columns), Decimal(0))),
        criteres=tuple(_criterion_method(ctx, c) for c in grid.criteres),
        echelle=tuple((lv.niveau, lv.libelle, lv.descripteur) for lv in grid.echelle),
        elements=elements,
        axes=axes,
        avertissements=tuple(clean_text(a) for a in ctx.ranking.avertissements),
        controles=_consistency(ctx),
        sensibilite=tuple((k, clean_text(v)) for k, v in sorted(ctx.ranking.sensibilite.items())),
        versions=tuple(
            (k, ctx.analysis.versions.get(k, "—"), ctx.ranking.versions.get(k, "—")) for k in versions
        ),
    )


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


def _chart(offers: list[OfferView], total_max: Decimal) -> Chart:
    x0, scale, row = 230, 400, 28
    scored = [o for o in offers if o.total is not None]
    bars = []
    for i, offer in enumerate(scored):
        total = offer.total if offer.total is not None else Decimal(0)
        ratio = min(max(total / total_max, Decimal(0)), Decimal(1)) if total_max else Decimal(0)
        width = (ratio * scale).quantize(Decimal("0.1"))
        name = offer.soumissionnaire
        short = name if len(name) <= 30 else name[:29].rstrip() + "…"
        bars.append(Bar(
            y=10 + i * row,
            label=short,
            nom_complet=name,
            largeur=str(width),
            valeur=format_decimal(total),
            x_valeur=str(x0 + width + 6),
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
