"""Pages in a language the model was not trained for get the verdict ``unsupported``, not a score that reads ok."""

from __future__ import annotations

from seospam.inputs.language import detect_language, is_supported
from seospam.model.scoring import score

# Written for this test: a Spanish kratom spam page (the kind issue 13 found scored 0.006, "ok").
SPANISH = (
    "Kratom rojo de Borneo: la alternativa natural a los analgésicos. Nuestro kratom alivia el dolor crónico, "
    "la ansiedad y los síntomas de abstinencia de opioides sin efectos secundarios. Los estudios demuestran que "
    "es seguro y eficaz para todos. Compre hoy con un descuento del 30 por ciento y envío gratis a toda España. "
    "Miles de clientes satisfechos ya han dejado sus medicamentos gracias a nuestras cápsulas de kratom puro."
)


def test_empty_and_short_pages_are_not_guessed():
    assert detect_language("") is None
    assert detect_language("Buy now") is None
    assert is_supported(None)


def test_english_seeds_and_a_spanish_page(seed_paths):
    for p in seed_paths:
        assert detect_language(p.read_text(encoding="utf-8")) == "en"
    assert detect_language(SPANISH) == "es"
    assert not is_supported("es")


def test_spanish_page_is_unsupported_not_ok():
    res = score(SPANISH)
    assert res["lang"] == "es"
    assert res["verdict"] == "unsupported"
    assert res["is_spam"] is False


def test_real_negatives_are_english(corpus_records):
    langs = {detect_language(r.get("text") or "") for r in corpus_records}
    assert langs <= {"en", None}
