"""Near-duplicate passages across offers (TF-IDF cosine on a fixed background)."""

from __future__ import annotations

from evaluation.analysis.genericity import shared_passages

from .conftest import Build

TEMPLATE = ("Le pilotage de la performance énergétique s'inscrit dans une démarche d'amélioration continue inspirée "
            "de la norme ISO 50001 : situation de référence, cibles, tableau de bord et revue annuelle par le {}.")


def test_shared_paragraph_found_in_both_offers(build: Build) -> None:
    offers = {
        "gamma": build(TEMPLATE.format("comité"), fichier="offres/gamma/m.md"),
        "epsilon": build(TEMPLATE.format("comité de pilotage"), fichier="offres/epsilon/m.md"),
        "alpha": build("Nous poserons 64 sous-compteurs à nos frais avant M+6 dans les quarante bâtiments du "
                       "marché, et les relevés seront transmis chaque mois.", fichier="offres/alpha/m.md"),
    }
    shared = shared_passages(offers)
    assert [p.other for p in shared["gamma"]] == ["epsilon"]
    assert [p.other for p in shared["epsilon"]] == ["gamma"]
    assert shared["alpha"] == []
    assert shared["gamma"][0].similarity == shared["epsilon"][0].similarity >= 0.8


def test_similarity_does_not_depend_on_a_third_offer(build: Build) -> None:
    two = {"gamma": build(TEMPLATE.format("comité")), "epsilon": build(TEMPLATE.format("maître d'ouvrage"))}
    three = {**two, "beta": build("Une tout autre offre, rédigée à la main par une coopérative qui décrit ses "
                                  "tournées de maintenance et ses compteurs posés dans les écoles.")}
    assert shared_passages(two)["gamma"][0].similarity == shared_passages(three)["gamma"][0].similarity


def test_short_passages_and_repeats_within_one_offer_are_ignored(build: Build) -> None:
    offers = {"a": build("Plan de progrès", "Plan de progrès"), "b": build("Plan de progrès")}
    assert shared_passages(offers) == {"a": [], "b": []}


def test_identical_paragraph_in_three_offers(build: Build) -> None:
    text = TEMPLATE.format("comité")
    offers = {name: build(text, fichier=f"offres/{name}/m.md") for name in ("a", "b", "c")}
    shared = shared_passages(offers)
    assert {name: sorted(p.other for p in pairs) for name, pairs in shared.items()} == {
        "a": ["b", "c"], "b": ["a", "c"], "c": ["a", "b"]}
    assert all(p.similarity == 1.0 for pairs in shared.values() for p in pairs)
