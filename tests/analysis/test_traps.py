"""The traps a commission falls into, on small hand-written offers (real pipeline and bundled classifier)."""

from __future__ import annotations

from spacy.language import Language

from evaluation.analysis.genericity import shared_passages
from evaluation.analysis.modelfile import LoadedClassifier
from evaluation.analysis.signals import supports_element

from .conftest import Build, blocks_to_passages, make_reader, signals_of

AXES = ["emballages_dechets", "insertion_sociale", "decarbonation", "transport_logistique",
        "achats_locaux_durables"]


def test_compliance_only_is_not_beyond_regulation(build: Build) -> None:
    found = build("Nous respecterons la loi EGAlim : 50 % de produits durables et de qualité, dont 20 % de "
                  "produits biologiques.",
                  "Le tri à la source des biodéchets sera assuré conformément à la réglementation.")
    signals = signals_of(found, AXES)
    assert signals.depassement_reglementaire.valeur is False
    assert signals.conformite_seule.valeur is True
    assert signals.conformite_seule.preuves[0].texte.startswith("Nous respecterons la loi EGAlim")


def test_figure_past_the_legal_value_goes_beyond_without_saying_so(build: Build) -> None:
    text = "Nous porterons la part de produits durables à 62 % dès la deuxième année, contre 50 % exigés par EGAlim."
    signals = signals_of(build(text), AXES)
    assert signals.depassement_reglementaire.valeur is True
    assert signals.depassement_reglementaire.preuves[0].texte == text


def test_negated_gain_sharing_is_not_a_part(build: Build) -> None:
    found = build("Nous ne proposons pas de partage des gains à ce stade.")
    signals = signals_of(found, AXES)
    assert signals.elements["partage_gains"].present is False
    assert not any(supports_element("partage_gains", p) for p in found)


def test_conditional_study_is_not_a_firm_action(build: Build) -> None:
    found = build("Nous pourrions étudier, si le syndicat le souhaite, le remplacement des barquettes "
                  "au-delà du minimum légal.")
    signals = signals_of(found, AXES)
    assert signals.engagement.valeur == "conditionnel"
    assert signals.depassement_reglementaire.valeur is False
    assert not found[0].firm


def test_offer_stuffed_with_axis_names_covers_no_axis(build: Build) -> None:
    found = build(
        "Notre plan de progrès embrasse la décarbonation, l'adaptation au changement climatique, la préservation "
        "des ressources, la biodiversité, les emballages et déchets, la logistique, l'écoconception, le réemploi, "
        "l'énergie, l'insertion sociale, la formation, la qualité de service, l'innovation et les achats locaux.",
        "La réduction des déchets, l'insertion professionnelle et la décarbonation sont au cœur de nos valeurs.",
        "Nous sommes convaincus que l'économie circulaire et les circuits courts sont l'avenir de notre métier.",
    )
    signals = signals_of(found, AXES)
    for axis in AXES:
        assert signals.axes[axis].couvert is False, axis
        assert signals.axes[axis].mentionne is True, axis


def test_rich_offer_without_the_canonical_words(build: Build) -> None:
    found = build(
        "À la rentrée de septembre 2027, deux produits sur trois que nous achèterons seront sous signe de qualité, "
        "dont un tiers en bio ; la loi n'en demande que la moitié.",
        "Chaque mois, le syndicat recevra la liste de nos factures classées par label et par commune d'origine.",
        "Avant les vacances de printemps 2028, nous jetterons moins de 75 grammes par repas : les restes seront "
        "pesés une semaine sur deux dans chaque restaurant.",
        "Nous embaucherons deux personnes éloignées de l'emploi à la légumerie, avec Tablées d'Avenir, pour 1 800 "
        "heures par an au lieu de 1 200.",
        "La moitié de la valeur des denrées que nous ne jetterons plus sera déduite de notre facture suivante, "
        "le compte étant fait en juin et en décembre.",
    )
    signals = signals_of(found, AXES)
    for element in ("objectifs", "indicateurs", "actions_titulaire", "calendrier", "partage_gains"):
        assert signals.elements[element].present is True, element
        assert signals.elements[element].preuves, element
    assert signals.axes["insertion_sociale"].couvert is True
    assert signals.axes["achats_locaux_durables"].couvert is True
    assert signals.depassement_reglementaire.valeur is True


def test_planning_given_only_as_a_table(build: Build) -> None:
    rows = [
        "Action : Réunion de lancement et valeurs de référence | Échéance : T0+15 jours | Responsable : C. Hautbois",
        "Action : Bacs inox dans les deux EHPAD | Échéance : M+6 | Responsable : J. Marcassin",
        "Action : Fusion des tournées de livraison | Échéance : mars 2027 | Responsable : logistique",
        "Action : Bilan des heures d'insertion | Échéance : lors du premier bilan semestriel | Responsable : RH",
    ]
    prose = build("Nos actions sont détaillées dans le tableau ci-dessous.")
    table = build(*rows, kind="tableau")
    signals = signals_of(prose + table, AXES)
    assert signals.planning_precis.valeur is True
    assert {e.texte for e in signals.planning_precis.preuves} <= set(rows)
    assert signals.elements["calendrier"].present is True
    assert signals.elements["calendrier"].preuves[0].texte in rows


def test_offer_copying_the_clause_counts_for_nothing(nlp: Language, classifier: LoadedClassifier) -> None:
    clause = ("Les parties détaillent dans le plan de progrès : les objectifs ; les indicateurs de mesure ; les "
              "actions à la charge du titulaire ; les actions à la charge de l'acheteur ; les moyens et ressources "
              "mobilisés par chacune des parties ; le calendrier prévisionnel de chacune des actions ; les modalités "
              "de partage des éventuels gains financiers ou autres que financiers.")
    reader = make_reader(nlp, classifier, clause)
    copied = clause.replace("Les parties détaillent", "Nous détaillerons")
    found = blocks_to_passages(reader, [copied])
    assert found[0].copied is True
    signals = signals_of(found, AXES)
    assert not any(result.present for result in signals.elements.values())
    assert signals.support["copie_clause"] == found


def test_two_offers_sharing_boilerplate_are_shown_side_by_side(build: Build) -> None:
    template = ("Notre démarche de progrès s'appuie sur le cycle d'amélioration continue (planifier, déployer, "
                "contrôler, ajuster) et associe l'ensemble des parties prenantes ; les indicateurs de suivi et leurs "
                "valeurs cibles seront arrêtés conjointement avec {} lors de la phase de lancement.")
    gamma = build(template.format("l'acheteur"), "Nous livrerons le pain en sacs papier dès la rentrée 2026.",
                  fichier="offres/gamma/memoire.md")
    epsilon = build(template.format("le syndicat"), "Valméride est un groupe engagé depuis trente ans.",
                    fichier="offres/epsilon/memoire.md")
    shared = shared_passages({"gamma": gamma, "epsilon": epsilon})
    assert [(p.other, p.passage.fichier, p.other_passage.fichier) for p in shared["gamma"]] == [
        ("epsilon", "offres/gamma/memoire.md", "offres/epsilon/memoire.md")]
    assert [p.other for p in shared["epsilon"]] == ["gamma"]
    assert shared["gamma"][0].similarity >= 0.8
    assert "l'acheteur" in shared["gamma"][0].passage.texte and "le syndicat" in shared["gamma"][0].other_passage.texte


def test_contractual_minimum_restated_covers_no_axis(build: Build) -> None:
    found = build("Conformément à la clause sociale du marché, nous réaliserons les 1 200 heures d'insertion exigées "
                  "par le CCAP.", "Nous respecterons l'ensemble des obligations de la loi EGAlim.")
    signals = signals_of(found, AXES)
    assert signals.axes["insertion_sociale"].couvert is False
    assert signals.axes["achats_locaux_durables"].couvert is False
    assert signals.conformite_seule.valeur is True
