"""The warm hand-off (« mise en relation »): the person's request e-mailed to a structure.

``reach`` reads how the person wants to be reached, ``mail`` writes the message, ``smtp`` sends
it, ``queue`` keeps it in SQLite until it is delivered or given up (at most a day).
"""
