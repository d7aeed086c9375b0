"""Places in a sentence: the commune of Haute-Garonne, or a town elsewhere in France.

Only place-like spans are read as places — the words after « à », « sur », « dans », « près
de », « in »…, a capitalised name alone in its clause (« Castres : … »), a postal code, or a
short message that is only a name — so that an ordinary word is never fuzzily turned into a
village. A name of several words (« Castanet-Tolosan », « Fos-sur-Mer ») or a name that is not
an ordinary French word (« Blagnac », « ramonville ») is recognised anywhere. A department is
named after a place word (« dans le Tarn », « du 09 »), or anywhere by a name of several words
(« Tarn-et-Garonne »). A town outside the department is recognised as such from the list of
French communes and never swapped for a look-alike village of Haute-Garonne; a person's first
name (« moi c'est Valentine ») is no village either.
"""

from bot.core.places.finding import find_place
from bot.core.places.place import Place

__all__ = ["Place", "find_place"]
