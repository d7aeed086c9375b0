"""The rules :mod:`bot.core.understanding` reads a message with, each in one place.

``words`` (the word sets several rules share) → ``situation`` (what the person is, has, works
at or seeks: words that say nothing of what the project needs) → ``terms`` (the taxonomy's
stages, legal forms and needs said) → ``genres`` (a message of a genre that is no request, and
a plan of the person's own said in it) → ``choosing`` (the person's stage, legal form and needs
among those said); ``actors`` (the actors named, and those the words are closest to).
"""
