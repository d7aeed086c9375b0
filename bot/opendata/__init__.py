"""data·inclusion in and out (schema 1.0, checked with the ``data-inclusion-schema`` models).

Import (``aiguillage import-datainclusion``), one record per structure:

- duplicates (same ``siret``, or same ``nom`` folded in the same ``code_insee``/``commune``) are
  merged: the most recently updated gives the name and summary, all give services and contacts;
- a service counts when a thematique maps (:data:`~bot.opendata.tables.THEMATIQUES`, the one
  table) and its ``zone_eligibilite`` reaches our territory: commune codes of Haute-Garonne →
  ``communes``, EPCI SIREN codes → their area, ``31`` → ``haute-garonne``, every department of
  Midi-Pyrénées → ``region``, ``france``/``99100`` → ``national``; other codes are left;
- needs and stages: the union of the mapped thematiques; legal forms: all (the schema has none);
  kind: ``accompagnement``; ``date_maj`` → ``info_date`` (its year, the latest of the records);
- contacts: the structure's ``telephone``/``courriel``/``site_web``/address and each service's
  ``contact_nom_prenom``/``telephone``/``courriel``/``lien_mobilisation``/address, each with the
  year of its record; ``conditions_acces``, ``frais`` and ``modes_mobilisation`` → conditions;
- ``source`` and ``lien_source``: the records are kept as they came in
  ``sources/data-inclusion--<source>.json``, which every imported record cites, and the note
  shown with the record names the producer, date and link.

Export (``aiguillage export-datainclusion``), per actor one structure and one service with the id
``aiguillage--<id>``: name, summary (``description``; the service's adds the offers), the first
phone (E.164), e-mail, website and address, the first person (``contact_nom_prenom``),
conditions (``conditions_acces``), ``zone_eligibilite`` from the territory, the thematiques whose
needs and stages the actor serves, ``date_maj`` = 1 January of ``info_date`` (our dates are
years). What the schema cannot say goes in the structure's own field ``aiguillage`` (never in a
standard one): ``id``, ``kind``, ``acronym``, ``names``, ``stages``, ``legal_forms``,
``needs`` (with strength), ``summary_en``, ``offers``, ``keywords``, ``conditions_en``,
``contacts`` (all of them, with person, role, year and source), ``note``, ``situations``,
``not_for``, ``reception``, ``location``, ``source``. The import reads it back, so that export →
import keeps every fact.
"""
