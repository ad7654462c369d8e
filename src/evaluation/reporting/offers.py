"""One offer's part of the report: its scores, documents, signals and evidence, joined by offer id."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from evaluation.errors import InputError, Problem
from evaluation.model import (
    AxisResult,
    CommitmentFlag,
    ElementResult,
    Evidence,
    Flag,
    Grid,
    OfferAnalysis,
    OfferRanking,
    SubCriterionScore,
)
from evaluation.reporting.context import ReportContext
from evaluation.reporting.labels import (
    DOCUMENT_STATUS,
    ENGAGEMENT,
    FLAGS,
    NOT_SCORED,
    PRICE_METHODS,
    SOURCES,
    anchor,
    clean_text,
    format_decimal,
    format_percent,
)
from evaluation.reporting.view import (
    Citation,
    DocumentRow,
    EvaluatorNote,
    EvidenceBlock,
    OfferView,
    PriceView,
    ScoreLine,
)

__all__ = ["Labels", "axis_label", "build_offer", "citations", "level_text", "to_decimal", "with_rank_text"]

RANKING_FILE = "resultats/classement.json"
Labels = tuple[tuple[str, str], ...]


def axis_label(ctx: ReportContext, axis_id: str) -> str:
    if axis_id in ctx.axis_labels:
        return ctx.axis_labels[axis_id]
    custom = [a.libelle for a in ctx.consultation.axes if not isinstance(a, str) and a.id == axis_id]
    return custom[0] if custom else axis_id


def to_decimal(value: str, champ: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InputError(Problem(
            f"nombre attendu, trouvé « {value} »",
            fichier=RANKING_FILE, champ=champ,
            conseil="recalculez le classement avec « evaluation rapport » au lieu de modifier le fichier",
        ))
    return number


def build_offer(ctx: ReportContext, offer_id: str, elements: Labels, axes: Labels) -> OfferView:
    ranking = ctx.ranking.offres.get(offer_id)
    analysis = ctx.analysis.offres.get(offer_id)
    declared = ctx.consultation.offres.get(offer_id)
    name = (
        ranking.soumissionnaire if ranking else analysis.soumissionnaire if analysis
        else declared.soumissionnaire if declared else offer_id
    )
    key = anchor("offre", offer_id)
    where = f"offres -> {offer_id}"
    points: list[Decimal | str | None] = []
    for criterion in ctx.grid.criteres:
        score = ranking.notes.get(criterion.id) if ranking else None
        if criterion.prix is not None and ranking and ranking.prix:
            points.append(to_decimal(ranking.prix.points, f"{where} -> prix -> points"))
        elif score is not None and score.sous_criteres and all(
            sub.niveau is None and sub.niveau_agrege is None for sub in score.sous_criteres.values()
        ):
            points.append(NOT_SCORED)  # nobody scored this criterion yet: not a zero
        elif score is not None:
            points.append(to_decimal(score.points, f"{where} -> notes -> {criterion.id} -> points"))
        else:
            points.append(None)
    suggestions = _suggestion_blocks(ctx.grid, key, analysis)
    return OfferView(
        id=offer_id,
        anchor=key,
        soumissionnaire=clean_text(name),
        rang=ranking.rang if ranking else None,
        rang_texte="",
        a_verifier=bool((ranking and ranking.a_verifier) or (analysis and analysis.a_verifier)),
        notee=ranking is not None,
        analysee=analysis is not None,
        points=tuple(points),
        total=to_decimal(ranking.total, f"{where} -> total") if ranking else None,
        source=_offer_source(ctx, ranking),
        prix=_price(ctx, ranking, where) if ranking else None,
        documents=tuple(_documents(analysis)) if analysis else (),
        lignes=tuple(_lines(ctx, ranking, analysis, suggestions, where)),
        signaux=_flags(key, analysis) if analysis else (),
        elements=tuple(_element(key, e, label, analysis) for e, label in elements) if analysis else (),
        axes=tuple(_axis(key, a, label, analysis) for a, label in axes) if analysis else (),
        suggestions=tuple(suggestions.values()),
    )


def with_rank_text(offer: OfferView, ties: Counter[int | None]) -> OfferView:
    if offer.rang is None:
        text = "Non classée" if offer.notee else "Non notée"
    else:
        text = str(offer.rang) + (" ex æquo" if ties[offer.rang] > 1 else "")
    return replace(offer, rang_texte=text)


def _offer_source(ctx: ReportContext, ranking: OfferRanking | None) -> str:
    if ranking is None:
        return "—"
    codes = sorted({s.source for c in ranking.notes.values() for s in c.sous_criteres.values()})
    if not codes:
        return SOURCES[ctx.ranking.source_des_notes]
    if len(codes) == 1:
        return SOURCES[codes[0]]
    return "Mixte (" + ", ".join(SOURCES[c].lower() for c in codes) + ")"


def _price(ctx: ReportContext, ranking: OfferRanking, where: str) -> PriceView | None:
    criterion = ctx.grid.price_criterion()
    if ranking.prix is None or criterion is None:
        return None
    prix = ranking.prix
    amount = to_decimal(prix.montant, f"{where} -> prix -> montant") if prix.montant is not None else None
    return PriceView(
        critere=criterion.libelle,
        montant=(
            f"{format_decimal(amount)} € {ctx.consultation.prix_exprimes}" if amount is not None
            else "Non communiqué"
        ),
        montant_value=amount,
        points=to_decimal(prix.points, f"{where} -> prix -> points"),
        points_max=to_decimal(prix.points_max, f"{where} -> prix -> points_max"),
        methode=PRICE_METHODS.get(prix.methode, prix.methode),
        anormalement_bas=prix.anormalement_bas,
        regle=clean_text(prix.regle or ""),
    )


def _documents(analysis: OfferAnalysis) -> list[DocumentRow]:
    return [
        DocumentRow(
            fichier=clean_text(d.fichier),
            statut=DOCUMENT_STATUS[d.statut],
            statut_code=d.statut,
            motif=clean_text(d.motif or ""),
            sha256=d.sha256,
            pages=d.pages,
            mots=d.mots,
        )
        for d in analysis.documents
    ]


def level_text(grid: Grid, level: int | None) -> str:
    if level is None:
        return "Non noté"
    labels = {lv.niveau: lv.libelle for lv in grid.echelle}
    return f"{level} — {labels[level]}" if level in labels else str(level)


def _lines(
    ctx: ReportContext,
    ranking: OfferRanking | None,
    analysis: OfferAnalysis | None,
    suggestion_blocks: dict[str, EvidenceBlock],
    where: str,
) -> list[ScoreLine]:
    lines: list[ScoreLine] = []
    suggested = analysis.niveaux_suggeres if analysis else {}
    for criterion, sub in ctx.grid.sub_criteria():
        crit_score = ranking.notes.get(criterion.id) if ranking else None
        score = crit_score.sous_criteres.get(sub.id) if crit_score else None
        suggestion = suggested.get(sub.id)
        field = f"{where} -> notes -> {criterion.id} -> sous_criteres -> {sub.id}"
        block = suggestion_blocks.get(sub.id)
        lines.append(ScoreLine(
            critere=criterion.libelle,
            sous_critere=sub.libelle,
            niveau=(
                f"{score.niveau_agrege.replace('.', ',')} (agrégat des évaluateurs)"
                if score and score.niveau is None and score.niveau_agrege else
                level_text(ctx.grid, score.niveau if score else None)
            ),
            points=to_decimal(score.points, f"{field} -> points") if score else None,
            points_max=to_decimal(score.points_max, f"{field} -> points_max") if score else None,
            source=SOURCES[score.source] if score else "—",
            source_code=score.source if score else "",
            justification=clean_text(score.justification) if score else "",
            suggestion=level_text(ctx.grid, suggestion.niveau) if suggestion else "",
            suggestion_explication=clean_text(suggestion.explication) if suggestion else "",
            suggestion_anchor=block.anchor if block else None,
            niveau_valeur=_level_value(score, field) if score else None,
            evaluateurs=tuple(
                EvaluatorNote(clean_text(name), level_text(ctx.grid, note.niveau), clean_text(note.justification))
                for name, note in sorted(score.evaluateurs.items(), key=lambda i: (i[0].casefold(), i[0]))
            ) if score else (),
            desaccord=bool(score and score.desaccord),
            consensus=(
                f"{level_text(ctx.grid, score.consensus.niveau)}, arrêté par {clean_text(score.consensus.auteur)} : "
                f"{clean_text(score.consensus.justification)}"
                if score and score.consensus else ""
            ),
        ))
    return lines


def _level_value(score: SubCriterionScore, field: str) -> Decimal | None:
    if score.niveau is not None:
        return Decimal(score.niveau)
    if score.niveau_agrege:
        return to_decimal(score.niveau_agrege, f"{field} -> niveau_agrege")
    return None


def citations(preuves: list[Evidence]) -> tuple[Citation, ...]:
    return tuple(
        Citation(clean_text(p.texte), clean_text(p.fichier), p.page, p.paragraphe) for p in preuves
    )


def _element(key: str, element_id: str, label: str, analysis: OfferAnalysis) -> EvidenceBlock:
    result: ElementResult | None = analysis.elements.get(element_id)
    ident = anchor(key, "element", element_id)
    if result is None:
        return EvidenceBlock(ident, f"Élément : {label}", label, "Non analysé", "na", "–", None, ())
    return EvidenceBlock(
        ident, f"Élément : {label}", label,
        "Présent" if result.present else "Absent",
        "ok" if result.present else "ko",
        "●" if result.present else "○",
        format_percent(result.confiance) if result.present else None,  # « absent 0 % » reads as nonsense
        citations(result.preuves),
    )


def _axis(key: str, axis_id: str, label: str, analysis: OfferAnalysis) -> EvidenceBlock:
    result: AxisResult | None = analysis.axes.get(axis_id)
    ident = anchor(key, "axe", axis_id)
    if result is None:
        return EvidenceBlock(ident, f"Axe : {label}", label, "Non analysé", "na", "–", None, ())
    if result.couvert:
        etat, state, symbol = "Couvert", "ok", "●"
    elif result.mentionne:
        etat, state, symbol = "Mentionné sans action", "partial", "◐"
    else:
        etat, state, symbol = "Absent", "ko", "○"
    return EvidenceBlock(
        ident, f"Axe : {label}", label, etat, state, symbol,
        format_percent(result.confiance) if result.couvert else None, citations(result.preuves),
    )


def _flags(key: str, analysis: OfferAnalysis) -> tuple[EvidenceBlock, ...]:
    blocks: list[EvidenceBlock] = []
    for name, (label, meaning) in FLAGS.items():
        flag: Flag | CommitmentFlag = getattr(analysis, name)
        if isinstance(flag, CommitmentFlag):
            etat = ENGAGEMENT[flag.valeur]
            state = {"ferme": "ok", "conditionnel": "partial", "vague": "ko"}[flag.valeur]
            symbol = {"ok": "●", "partial": "◐", "ko": "○"}[state]
        else:
            etat = "Oui" if flag.valeur else "Non"
            # Citing regulation only as complied with is the one flag whose « Oui » is a weakness.
            good = flag.valeur != (name == "conformite_seule")
            state, symbol = ("ok", "●") if good else ("ko", "○")
        blocks.append(EvidenceBlock(
            anchor(key, "signal", name), label, label, etat, state, symbol, None,
            citations(flag.preuves), meaning,
        ))
    return tuple(blocks)


def _suggestion_blocks(grid: Grid, key: str, analysis: OfferAnalysis | None) -> dict[str, EvidenceBlock]:
    if analysis is None:
        return {}
    blocks: dict[str, EvidenceBlock] = {}
    for _criterion, sub in grid.sub_criteria():
        suggestion = analysis.niveaux_suggeres.get(sub.id)
        if suggestion is None or not suggestion.preuves:
            continue
        blocks[sub.id] = EvidenceBlock(
            anchor(key, "niveau", sub.id),
            f"Niveau suggéré : {sub.libelle}",
            sub.libelle,
            f"Niveau suggéré {level_text(grid, suggestion.niveau)}",
            "na", "", None,
            citations(suggestion.preuves),
        )
    return blocks
